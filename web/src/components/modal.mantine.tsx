// Mantine's Modal (Portal, FocusTrap, Transition, react-remove-scroll), imported only through
// lazy-modal.tsx so that it loads when a dialog first opens instead of with the page.
export { Modal } from '@mantine/core';
