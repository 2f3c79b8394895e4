/**
 * Tabs as the ARIA tabs pattern: a tablist of tabs, one tabpanel; arrow keys, Home and End
 * move between tabs (roving tabindex). The selected tab is in the URL (`?tab=`), so a link or
 * a notification can open one.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';

export interface TabDef<K extends string> {
  key: K;
  label: string;
  /** Shown after the label (a count); part of the tab's name. */
  badge?: ReactNode;
}

export const useTabParam = <K extends string>(keys: readonly K[], fallback: K): [K, (k: K) => void] => {
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const current = keys.find((k) => k === raw) ?? fallback;
  const select = (k: K) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('tab', k);
        return next;
      },
      { replace: true },
    );
  return [current, select];
};

export const Tabs = <K extends string>({
  label,
  tabs,
  selected,
  onSelect,
  children,
}: {
  label: string;
  tabs: readonly TabDef<K>[];
  selected: K;
  onSelect: (k: K) => void;
  children: ReactNode;
}) => {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (e: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const to =
      e.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : -1;
    if (to < 0) return;
    e.preventDefault();
    const key = tabs[to]!.key;
    onSelect(key);
    refs.current.get(key)?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.key}`}
            aria-selected={t.key === selected}
            aria-controls={`${base}-panel`}
            tabIndex={t.key === selected ? 0 : -1}
            onClick={() => onSelect(t.key)}
            onKeyDown={(e) => move(e, i)}
          >
            {t.label}
            {t.badge}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${selected}`} className="tabpanel">
        {children}
      </div>
    </div>
  );
};
