import type { TabListProps, TabProps } from '@fluentui/react-components';
import {
  Tab,
  renderTabList_unstable,
  useTabListContextValues_unstable,
  useTabListStyles_unstable,
  useTabList_unstable,
} from '@fluentui/react-components';
import type { FocusEvent, KeyboardEvent } from 'react';
import { createContext, forwardRef, useContext, useState } from 'react';

/** The value of the tab that takes Tab-key focus: the one arrowed to, else the selected one. */
const RovingValue = createContext<unknown>(undefined);

const STEP: Record<string, (index: number, count: number) => number> = {
  next: (i, n) => (i + 1) % n,
  previous: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

function stepFor(key: string, vertical: boolean): ((index: number, count: number) => number) | undefined {
  if (key === (vertical ? 'ArrowDown' : 'ArrowRight')) return STEP.next;
  if (key === (vertical ? 'ArrowUp' : 'ArrowLeft')) return STEP.previous;
  return STEP[key];
}

/** The tabs that can take focus: enabled and not moved into an overflow menu. */
function focusableTabs(list: HTMLElement): HTMLButtonElement[] {
  return [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')].filter((tab) => !tab.disabled && !tab.closest('[data-overflowing]'));
}

/**
 * Fluent's TabList with a roving tabindex instead of Tabster's arrow-key group. That group surrounds the
 * tabs with aria-hidden, focusable sentinels (`<i data-tabster-dummy tabindex="0">`), which axe reports as
 * aria-hidden-focus (serious); Tabster and Fluent keep them by design (microsoft/tabster#288,
 * microsoft/fluentui#25133, #27517). The keyboard pattern is the WAI-ARIA tabs one: one tab stop (the
 * selected tab), arrow keys, Home and End move between tabs, Enter or Space selects. Use `RovingTab` inside.
 */
export const RovingTabList = forwardRef<HTMLDivElement, TabListProps>(function RovingTabList(props, ref) {
  const state = useTabList_unstable(props, ref);
  const [arrowedTo, setArrowedTo] = useState<string>();
  // Drop the arrow-key group's Tabster attribute, and with it the sentinels; the keys are handled here.
  const root: Record<string, unknown> = { ...state.root };
  delete root['data-tabster'];
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    props.onKeyDown?.(event);
    const step = stepFor(event.key, state.vertical);
    if (!step || event.defaultPrevented) return;
    const tabs = focusableTabs(event.currentTarget);
    const from = tabs.findIndex((tab) => tab === document.activeElement);
    const to = tabs[step(Math.max(from, 0), tabs.length)];
    if (!to) return;
    event.preventDefault();
    setArrowedTo(to.value);
    to.focus();
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    props.onBlur?.(event);
    // Leaving the list: the next Tab into it lands on the selected tab again.
    if (!event.currentTarget.contains(event.relatedTarget)) setArrowedTo(undefined);
  };
  state.root = { ...(root as typeof state.root), onKeyDown, onBlur };
  const contextValues = useTabListContextValues_unstable(state);
  useTabListStyles_unstable(state);
  return <RovingValue.Provider value={arrowedTo ?? state.selectedValue}>{renderTabList_unstable(state, contextValues)}</RovingValue.Provider>;
});

/** A Fluent Tab that is the list's one tab stop only while it is the selected (or arrowed-to) tab. */
export const RovingTab = forwardRef<HTMLButtonElement, TabProps>(function RovingTab(props, ref) {
  const roving = useContext(RovingValue);
  // With nothing selected yet, every tab is a stop, so the list can still be reached.
  const stop = roving === undefined || roving === props.value;
  return <Tab ref={ref} tabIndex={stop ? 0 : -1} {...props} />;
});
