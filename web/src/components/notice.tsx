import type { CSSProperties, ReactNode } from 'react';

/**
 * A titled notice in the look of Mantine's light Alert (red, yellow or green), as plain elements styled
 * in global.css like PageError: no client code, where an Alert would bring its module and close button
 * to a page's first load for a message most visits never show. role="alert" by default, as Mantine's.
 */
export function Notice({
  color,
  title,
  role = 'alert',
  style,
  children,
}: {
  color: 'red' | 'yellow' | 'green';
  title: string;
  role?: 'alert' | 'status';
  style?: CSSProperties;
  children: ReactNode;
}) {
  return (
    <div className="page-error" data-color={color} role={role} style={style}>
      <p className="page-error-title">{title}</p>
      <div>{children}</div>
    </div>
  );
}
