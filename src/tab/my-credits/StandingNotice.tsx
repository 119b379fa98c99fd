import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { formatCredits } from '../../ui/format.js';
import { useApp } from '../app-context.js';

/** Above the balance for someone who has left the contract (what happens to their credits), or who is not registered yet (the way to register). */
export function StandingNotice({ left, eligibilityText, own, unit }: { left: boolean; eligibilityText: string; own: number; unit: string }) {
  const { navigate } = useApp();
  if (left) {
    return (
      <MessageBar intent="info" layout="multiline" data-testid="left-contract">
        <MessageBarBody>
          <MessageBarTitle>You have left the firm's Autodesk contract</MessageBarTitle>
          {`You cannot log or reserve ${unit} any more.`}
          {own > 0 ? ` Your ${formatCredits(own)} own ${unit} stay with your Autodesk account: Autodesk cannot move them to anyone else.` : ''}
          {' Talk to your account managers if this is wrong.'}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="info">
      <MessageBarBody>
        {eligibilityText} <Link onClick={() => navigate('registration')}>Go to registration</Link>
      </MessageBarBody>
    </MessageBar>
  );
}
