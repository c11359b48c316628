import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { captureTokenFromUrl } from './api/token';
import { App } from './App';

// Before anything renders or fetches, so the token never stays in the address bar.
captureTokenFromUrl();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
