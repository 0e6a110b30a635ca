import { useLayoutEffect, useRef } from 'preact/hooks';
export interface MenuItem {
  readonly key: string;
  readonly label: string;
  /** Starts a new group (a separator above it). */
  readonly separated?: boolean;
}

export interface ActionsMenuProps {
  modelName: string;
  items: readonly MenuItem[];
  /** Where it opened: the `...` button, or the pointer for a context menu. */
  anchor: { x: number; y: number };
  onPick(key: string): void;
  onClose(): void;
}

/** A small popup menu of a row's secondary actions; keyboard: arrows, Home/End, Enter, Escape. */
export function ActionsMenu(props: ActionsMenuProps) {
  const menuRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const menu = menuRef.current;
    if (menu === null) return;
    // Keep the menu inside the view; offsets through CSSOM (allowed by the CSP).
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    const left = Math.max(2, Math.min(props.anchor.x, window.innerWidth - width - 2));
    const top = props.anchor.y + height + 2 > window.innerHeight ? Math.max(2, props.anchor.y - height) : props.anchor.y;
    menu.style.left = `${left}px`;
    menu.style.top = `${top}px`;
    menu.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
  }, [props.anchor.x, props.anchor.y]);

  useLayoutEffect(() => {
    const onPointer = (event: MouseEvent) => {
      if (menuRef.current !== null && event.target instanceof Node && !menuRef.current.contains(event.target)) props.onClose();
    };
    const onBlur = () => props.onClose();
    document.addEventListener('mousedown', onPointer, true);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('mousedown', onPointer, true);
      window.removeEventListener('blur', onBlur);
    };
  }, [props.onClose]);

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = items.findIndex((item) => item === document.activeElement);
    let next = -1;
    switch (event.key) {
      case 'ArrowDown':
        next = (at + 1) % items.length;
        break;
      case 'ArrowUp':
        next = (at - 1 + items.length) % items.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      case 'Escape':
      case 'Tab':
        event.preventDefault();
        event.stopPropagation();
        props.onClose();
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    items[next]?.focus();
  };

  return (
    <div ref={menuRef} class="menu" role="menu" aria-label={`Actions for ${props.modelName}`} onKeyDown={onKeyDown}>
      {props.items.map((item) => (
        <button
          key={item.key}
          type="button"
          role="menuitem"
          class={`menu-item${item.separated === true ? ' separated' : ''}`}
          data-action={item.key}
          tabIndex={-1}
          onClick={() => props.onPick(item.key)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
