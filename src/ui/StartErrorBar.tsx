import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { SignInError } from '../platform/sign-in-error.js';
import { ApiErrorBar } from './ApiErrorBar.js';
import { errorWords } from './error-words.js';

/**
 * Why Credit Desk could not start. A sign-in the person has to finish gets a "Sign in" button that starts
 * the host's sign-in from their click (sign-in windows and dialogs open only from one), not a retry of what
 * just failed; anything else gets the usual bar with "Try again".
 */
export function StartErrorBar({ error, onRetry, onSignIn }: { error: unknown; onRetry: () => void; onSignIn?: (() => void) | undefined }) {
  if (!(error instanceof SignInError) || !onSignIn) return <ApiErrorBar error={error} title="Credit Desk could not start" onRetry={onRetry} />;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Sign in to Credit Desk</MessageBarTitle>
        {errorWords(error)}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={onSignIn}>
          Sign in
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
