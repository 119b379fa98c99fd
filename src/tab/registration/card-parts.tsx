import { CardHeader, Text } from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';
import type { PublicPolicy } from '../../contract/schemas.js';

/** The word for the firm's unit in a sentence ("credits", "tokens"). */
export const unitWord = (settings: PublicPolicy) => (settings.unitName === 'Flex tokens' ? 'tokens' : 'credits');


/** A card's icon and title. */
export function Heading({ icon, children }: { icon: ReactElement; children: ReactNode }) {
  return (
    <CardHeader
      image={icon}
      header={
        <Text as="h2" weight="semibold" size={400}>
          {children}
        </Text>
      }
    />
  );
}

