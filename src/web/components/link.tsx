import type { ComponentChildren } from 'preact';
import { useSession } from '../session-context.js';

/** Props of `Link`. */
export interface LinkProps {
  href: string;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
}

/**
 * A real link that moves within the dashboard without a reload on a plain click; a click with a modifier
 * (new tab, new window) is left to the browser.
 */
export function Link({ href, children, class: className, current }: LinkProps) {
  const { navigate } = useSession();
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} class={className} onClick={onClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
