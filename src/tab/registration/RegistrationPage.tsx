import { Text } from '@fluentui/react-components';
import type { MeResponse } from '../../contract/schemas.js';
import { useApp } from '../app-context.js';
import { CheckEmailCard } from './CheckEmailCard.js';
import { useHashFlag } from './hash-query.js';
import { ContactsCard, NextCard } from './InfoCards.js';
import { QuarantineHelper } from './QuarantineHelper.js';
import { useStyles } from './RegistrationPage.styles.js';
import { RegistrationSteps } from './RegistrationSteps.js';
import { RequestCard } from './RequestCard.js';
import { BenefitsCard, LeftCard, WaitingCard } from './StateCards.js';

/** The card for where the person's registration stands. */
function MainCard({ state }: { state: MeResponse['registration']['state'] }) {
  switch (state) {
    case 'not_requested':
      return <RequestCard declined={false} />;
    case 'declined':
      return <RequestCard declined />;
    case 'requested':
      return <WaitingCard />;
    case 'account_created':
      return <CheckEmailCard />;
    case 'registered':
      return <BenefitsCard />;
    case 'left':
      return <LeftCard />;
  }
}

/** Registration: the steps to an Autodesk account under the contract, and what to do at each. */
export function RegistrationPage() {
  const styles = useStyles();
  const { me, navigate, settings } = useApp();
  // A deep link (a notification) may ask for the helper; it shows only while IT has it switched on.
  const helper = useHashFlag('helper') && settings.features.mailboxHelper;
  const state = me.registration.state;
  const explainsNext = state === 'not_requested' || state === 'declined' || state === 'requested';

  return (
    <div className={styles.stack}>
      <Text as="h1" size={500} weight="semibold">
        Your Autodesk account
      </Text>
      {state !== 'left' ? <RegistrationSteps state={state} /> : null}
      {helper && state !== 'registered' && state !== 'left' ? <QuarantineHelper onClose={() => navigate('registration')} /> : null}
      <div className={styles.grid}>
        <MainCard state={state} />
        <div className={styles.stack}>
          {explainsNext ? <NextCard /> : null}
          <ContactsCard />
        </div>
      </div>
    </div>
  );
}
