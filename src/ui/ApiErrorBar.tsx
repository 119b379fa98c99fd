import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../platform/api-client.js';

/** An API failure in plain words, with its code, and a retry where trying again can help. */
export function ApiErrorBar({ error, onRetry, title }: { error: unknown; onRetry?: (() => void) | undefined; title?: string }) {
  const apiError = error instanceof ApiError ? error : undefined;
  const message = apiError?.message ?? (error instanceof Error ? error.message : 'Something went wrong.');
  const retry = onRetry && (!apiError || apiError.retryable);
  return (
    <MessageBar intent={apiError && apiError.status < 500 && apiError.status !== 0 ? 'warning' : 'error'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title ?? 'That did not work'}</MessageBarTitle>
        {message}
        {apiError ? <> ({apiError.code})</> : null}
      </MessageBarBody>
      {retry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
