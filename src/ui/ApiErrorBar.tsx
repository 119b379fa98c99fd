import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../platform/api-client.js';
import { errorWords } from './error-words.js';
import { ErrorDetails } from './support-details.js';

/** An API failure in plain words, a retry where trying again can help, and for IT its code under "Details". */
export function ApiErrorBar({ error, onRetry, title }: { error: unknown; onRetry?: (() => void) | undefined; title?: string }) {
  const apiError = error instanceof ApiError ? error : undefined;
  const retry = onRetry && (!apiError || apiError.retryable);
  return (
    <MessageBar intent={apiError && apiError.status < 500 && apiError.status !== 0 ? 'warning' : 'error'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title ?? 'That did not work'}</MessageBarTitle>
        {errorWords(error)}
        <ErrorDetails error={error} />
      </MessageBarBody>
      {retry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
