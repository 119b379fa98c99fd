// @vitest-environment jsdom
/**
 * A minimal reproduction of an upstream behaviour the e2e axe check works around (tests/e2e/support.ts
 * `axeCheck`): Fluent's MenuList (Tabster's arrow-key group) puts aria-hidden, focusable sentinels around its
 * items, which axe reports as aria-hidden-focus (serious). Tabster keeps them by design
 * (https://github.com/microsoft/tabster/issues/288; microsoft/fluentui#25133 and #27517, closed). This test
 * fails once Fluent stops adding them: then drop the popup exclusion from `axeCheck`.
 */
import { FluentProvider, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, teamsLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

describe('upstream: Tabster sentinels in an open Fluent menu', () => {
  it('are aria-hidden and focusable (tabindex 0)', async () => {
    render(
      <FluentProvider theme={teamsLightTheme}>
        <Menu open>
          <MenuTrigger disableButtonEnhancement>
            <button type="button">Open</button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem>One</MenuItem>
              <MenuItem>Two</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </FluentProvider>,
    );
    const menu = await screen.findByRole('menu');
    await waitFor(() => expect(menu.querySelectorAll('[data-tabster-dummy]').length).toBeGreaterThan(0));
    for (const sentinel of menu.querySelectorAll('[data-tabster-dummy]')) {
      expect(sentinel.getAttribute('aria-hidden')).toBe('true');
      expect(sentinel.getAttribute('tabindex')).toBe('0');
    }
  });
});
