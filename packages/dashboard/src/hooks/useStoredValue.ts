import { useCallback, useState } from 'react';

function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** A string remembered across visits in localStorage (storage failures only lose the memory). */
export function useStoredValue(key: string, initial = ''): [string, (value: string) => void] {
  const [value, setValue] = useState(() => load(key) ?? initial);
  const store = useCallback(
    (next: string) => {
      setValue(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // Private mode or full storage: the value still holds for this page.
      }
    },
    [key],
  );
  return [value, store];
}

export const LAST_DIR_KEY = 'gsd-harness-last-dir';

export function readLastDir(): string {
  return load(LAST_DIR_KEY) ?? '';
}
