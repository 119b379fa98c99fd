import { Card, CardHeader, Text } from '@fluentui/react-components';
import { PeopleTeamRegular, WalletCreditCardRegular } from '@fluentui/react-icons';
import type { UnitWords } from '../../ui/format.js';
import { formatCredits } from '../../ui/format.js';
import { usePoolPageStyles } from './PoolPage.styles.js';
import type { Pool } from './usePoolPage.js';

/** The pool's two headline figures: what is in it and how many people draw on it. */
export function PoolFigures({ pool, words }: { pool: Pool; words: UnitWords }) {
  const styles = usePoolPageStyles();
  const { word: unit, flex } = words;
  return (
    <div className={styles.figures}>
      <Card>
        <CardHeader image={<WalletCreditCardRegular fontSize={24} />} header={<Text weight="semibold">In the pool</Text>} />
        <div className={styles.figure}>
          <Text size={800} weight="semibold" data-testid="pool-balance">
            {formatCredits(pool.overdraft ? 0 : pool.balance)}
          </Text>
          <Text>{unit}</Text>
        </div>
        {pool.overdraft ? <Text data-testid="pool-overdrawn">Overdrawn by {formatCredits(pool.overdraft.credits)} {unit}: nothing left to draw.</Text> : null}
        {pool.held > 0 ? (
          <Text data-testid="pool-held">
            Free to use; {formatCredits(pool.held)} more {unit} are held for planned jobs and come back if a hold is voided or lapses.
          </Text>
        ) : null}
      </Card>
      <Card>
        <CardHeader image={<PeopleTeamRegular fontSize={24} />} header={<Text weight="semibold">Drawing on the pool</Text>} />
        <div className={styles.figure}>
          <Text size={800} weight="semibold" data-testid="eligible-members">
            {pool.eligibleMembers}
          </Text>
          <Text>
            {flex
              ? `${pool.eligibleMembers === 1 ? 'member draws' : 'members draw'} on it`
              : `${pool.eligibleMembers === 1 ? 'member has' : 'members have'} used up their own`}
          </Text>
        </div>
      </Card>
    </div>
  );
}
