import { Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Component } from 'react';

/** A chart that cannot be drawn (an old webview, a missing SVG API) must not take the page down with it. */
export class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <Text role="note">The chart cannot be drawn here; the figures below it tell the same story.</Text> : this.props.children;
  }
}
