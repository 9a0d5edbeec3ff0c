/** The top of every page: its heading (the one h1) and the browser tab's title. */
import { useEffect, type ReactNode } from 'react';
import { Text, Title2, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  top: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalL },
});

export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Lantern`;
  }, [title]);
  return (
    <div className={useStyles().top}>
      <Title2 as="h1">{title}</Title2>
      {children === undefined ? null : <Text>{children}</Text>}
    </div>
  );
}
