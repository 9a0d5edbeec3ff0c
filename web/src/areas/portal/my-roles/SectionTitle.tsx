/** A My roles section's heading, with room before its table. */
import type { ReactNode } from 'react';
import { Title3, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({ title: { display: 'block', marginBottom: tokens.spacingVerticalS } });

export function SectionTitle({ id, children }: { id: string; children: ReactNode }) {
  return <Title3 as="h2" id={id} className={useStyles().title}>{children}</Title3>;
}
