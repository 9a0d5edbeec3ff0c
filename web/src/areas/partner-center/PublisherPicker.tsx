/**
 * The publisher a publisher-level page (Referrals, Users) is about: the first of the caller's
 * publisher accounts, or the one `?publisher=` names; a picker when the caller has several.
 */
import type { ReactNode } from 'react';
import { Field, Select, makeStyles, tokens } from '@fluentui/react-components';
import { getJson } from '../../api.ts';
import { navigate, useLocation } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';

/** A publisher record of `GET /partner-center/publishers`. */
export interface PublisherAccountView {
  readonly publisherId: string;
  readonly displayName: string;
  readonly members: readonly { readonly userId: string; readonly roles: readonly string[] }[];
}

const useStyles = makeStyles({ picker: { maxWidth: '320px', marginBottom: tokens.spacingVerticalL } });

export function WithPublisher({ children }: { children: (publisher: PublisherAccountView) => ReactNode }) {
  const styles = useStyles();
  const location = useLocation();
  const [load, retry] = useLoad(async (signal) => (await getJson<{ value: { account: PublisherAccountView }[] }>('/partner-center/publishers', signal)).value.map((r) => r.account), 'publishers');
  return (
    <Loaded load={load} what="your publisher accounts" retry={retry}>
      {(publishers) => {
        const chosen = publishers.find((p) => p.publisherId === location.searchParams.get('publisher')) ?? publishers[0];
        if (chosen === undefined) return <Empty title="You are not a member of a publisher account">An owner of a publisher account can add you.</Empty>;
        return (
          <>
            {publishers.length < 2 ? null : (
              <Field label="Publisher" className={styles.picker}>
                <Select value={chosen.publisherId} onChange={(_, d) => navigate(`${location.pathname}?publisher=${encodeURIComponent(d.value)}`)}>
                  {publishers.map((p) => <option key={p.publisherId} value={p.publisherId}>{p.displayName}</option>)}
                </Select>
              </Field>
            )}
            {children(chosen)}
          </>
        );
      }}
    </Loaded>
  );
}
