/**
 * The portal's header: Lantern, the three areas, the directory switcher (for a service provider,
 * the customer directories reached through delegations), and the signed-in user with sign-out.
 */
import { Avatar, Button, Select, Text, makeStyles, mergeClasses, tokens, useId } from '@fluentui/react-components';
import { signOut } from './auth.ts';
import { RouteLink, useLocation } from './router.tsx';
import { directoryName, useSession } from './session.tsx';

/** The three areas; Portal holds every other page under /portal/. */
const AREAS = [
  { name: 'Marketplace', to: '/portal/marketplace', here: (path: string) => within(path, '/portal/marketplace') },
  { name: 'Partner Center', to: '/portal/partner-center', here: (path: string) => within(path, '/portal/partner-center') },
  { name: 'Portal', to: '/portal/subscriptions', here: (path: string) => path.startsWith('/portal/') && !within(path, '/portal/marketplace') && !within(path, '/portal/partner-center') },
] as const;

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

// Links on the dark bar keep the bar's text colour when hovered and pressed (Fluent's link colours are for light backgrounds).
const onBar = { color: tokens.colorNeutralForegroundOnBrand, ':hover': { color: tokens.colorNeutralForegroundOnBrand }, ':active': { color: tokens.colorNeutralForegroundOnBrand }, ':hover:active': { color: tokens.colorNeutralForegroundOnBrand } };

const useStyles = makeStyles({
  header: {
    display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXL, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorBrandBackgroundPressed, color: tokens.colorNeutralForegroundOnBrand, flexWrap: 'wrap',
  },
  brand: { ...onBar, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, textDecorationLine: 'none' },
  nav: { display: 'flex', gap: tokens.spacingHorizontalL, flexGrow: 1 },
  area: { ...onBar, fontSize: tokens.fontSizeBase400, padding: `${tokens.spacingVerticalXS} 0` },
  current: { fontWeight: tokens.fontWeightSemibold, borderBottom: `2px solid ${tokens.colorNeutralForegroundOnBrand}` },
  directory: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  label: { color: tokens.colorNeutralForegroundOnBrand },
  user: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  who: { display: 'flex', flexDirection: 'column', lineHeight: tokens.lineHeightBase200 },
  whoText: onBar,
});

export function Header() {
  const styles = useStyles();
  const session = useSession();
  const { pathname } = useLocation();
  const selectId = useId('directory');
  const { account, directories } = session;
  const home = directoryName(directories, account.tenantId);
  return (
    <header className={styles.header}>
      <RouteLink to="/" className={styles.brand}>Lantern</RouteLink>
      <nav aria-label="Areas" className={styles.nav}>
        {AREAS.map((area) => {
          const here = area.here(pathname);
          return (
            <RouteLink key={area.name} to={area.to} className={mergeClasses(styles.area, here && styles.current)} aria-current={here ? 'page' : undefined}>
              {area.name}
            </RouteLink>
          );
        })}
      </nav>
      <div className={styles.directory}>
        <label htmlFor={selectId} className={styles.label}>Directory</label>
        <Select id={selectId} value={session.directory} onChange={(_e, data) => session.chooseDirectory(data.value)}>
          <option value="all">All directories</option>
          {directories.map((d) => (
            <option key={d.tenantId} value={d.tenantId}>
              {directoryName(directories, d.tenantId)}{d.tenantCategory === 'ProjectedBy' ? ' (delegated)' : d.tenantCategory === 'Home' ? ' (home)' : ''}
            </option>
          ))}
        </Select>
      </div>
      <div className={styles.user}>
        <Avatar name={account.name ?? account.username} color="colorful" aria-hidden />
        <div className={styles.who}>
          <Text weight="semibold" className={styles.whoText}>{account.name ?? account.username}</Text>
          <Text size={200} className={styles.whoText}>{account.username} · {home}</Text>
        </div>
        <Button appearance="subtle" className={styles.whoText} onClick={() => void signOut()}>Sign out</Button>
      </div>
    </header>
  );
}
