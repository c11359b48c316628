import { useCallback, useState } from 'react';

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Desktop notifications, shown only once the person has allowed them from a button. */
export function useNotifications(): {
  permission: Permission;
  request: () => void;
  notify: (title: string, body: string, tag: string) => void;
} {
  const [permission, setPermission] = useState(currentPermission);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission);
  }, []);
  const notify = useCallback((title: string, body: string, tag: string) => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    try {
      new Notification(title, { body, tag });
    } catch {
      // Some browsers only allow notifications from a service worker; the title count still shows.
    }
  }, []);
  return { permission, request, notify };
}
