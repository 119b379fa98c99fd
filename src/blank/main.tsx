import { Card, CardHeader, FluentProvider, Text, teamsLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';

/**
 * The benchmark's reference page: React, FluentProvider and one Card, nothing else. The tab's load time is
 * reported as a ratio against this page's, measured in the same run.
 */
function BlankPage() {
  return (
    <FluentProvider theme={teamsLightTheme}>
      <main style={{ padding: 16 }}>
        <Card data-testid="blank-card">
          <CardHeader header={<Text weight="semibold">Credit Desk</Text>} description={<Text>A blank page with one Fluent card.</Text>} />
        </Card>
      </main>
    </FluentProvider>
  );
}

const element = document.getElementById('root');
if (!element) throw new Error('The page has no #root element.');
createRoot(element).render(<BlankPage />);
