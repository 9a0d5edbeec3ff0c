/** The look of My roles' forms: a framed panel below the table it acts on. */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useFormStyles = makeStyles({
  panel: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px', marginTop: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});
