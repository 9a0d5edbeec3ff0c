/**
 * The sign-in pages as HTML: plain server-rendered forms, no external asset, every field labelled
 * and every control a native one (keyboard and screen reader work without script). Every value a
 * user or an app sent is escaped. The one script (form_post's auto-submit) runs under a CSP nonce.
 */
import type { AadError } from '../../services/identity/aad-errors.js';
import type { SignInView } from '../../services/identity/sign-in-flow.js';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
  body { font: 15px/1.5 "Segoe UI", system-ui, sans-serif; background: #f2f2f2; color: #1b1b1b; margin: 0; }
  main { max-width: 440px; margin: 8vh auto; background: #fff; padding: 44px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 24px; font-weight: 600; margin: 0 0 4px; }
  p { margin: 0 0 16px; }
  label { display: block; font-weight: 600; margin: 16px 0 4px; }
  input[type=text], input[type=password], input[type=email] { width: 100%; box-sizing: border-box; font: inherit; padding: 6px 8px; border: 1px solid #666; }
  input:focus-visible, button:focus-visible { outline: 3px solid #0067b8; outline-offset: 2px; }
  input[aria-invalid=true] { border-color: #a4262c; }
  .error { color: #a4262c; border-left: 4px solid #a4262c; padding: 4px 8px; margin: 12px 0; }
  .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 24px; }
  button { font: inherit; padding: 6px 20px; border: 1px solid #666; background: #fff; color: #1b1b1b; cursor: pointer; }
  button.primary { background: #0067b8; border-color: #0067b8; color: #fff; }
  code { font-size: 14px; }
`;

/** A page: its HTML and the status to send it with. */
export interface RenderedPage {
  readonly status: number;
  readonly html: string;
}

function page(title: string, body: string, nonce: string, status = 200): RenderedPage {
  return {
    status,
    html: `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} - Lantern</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`,
  };
}

function errorBlock(error: AadError | undefined): string {
  if (!error) return '';
  return `<div class="error" id="error" role="alert"><p>${escapeHtml(error.message)}</p><p><small>AADSTS${error.code}</small></p></div>`;
}

const invalid = (error: AadError | undefined) => (error ? ' aria-invalid="true" aria-describedby="error"' : '');
const hidden = (name: string, value: string) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

/** Renders a sign-in view that is a page (not an answer sent to the app). */
export function renderSignInPage(view: Exclude<SignInView, { kind: 'answer' }>, action: string, nonce: string): RenderedPage {
  switch (view.kind) {
    case 'credentials':
      return page('Sign in', `<h1>Sign in</h1>
<p>${view.device ? 'You are signing in to' : 'to continue to'} <strong>${escapeHtml(view.appName)}</strong>${view.device ? ' on another device. Only continue if you started this sign-in yourself.' : ''}</p>
${errorBlock(view.error)}
<form method="post" action="${escapeHtml(action)}" novalidate>
${hidden('flow', view.flow)}
<label for="login">User name (e-mail address)</label>
<input type="email" id="login" name="login" autocomplete="username" inputmode="email" required autofocus value="${escapeHtml(view.loginHint ?? '')}"${invalid(view.error)}>
<label for="passwd">Password</label>
<input type="password" id="passwd" name="passwd" autocomplete="current-password" required${invalid(view.error)}>
<div class="actions">
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button type="submit" name="action" value="sign-in" class="primary">Sign in</button>
</div>
</form>`, nonce);
    case 'second-factor':
      return page('Enter code', `<h1>Enter code</h1>
<p>Signed in as <strong>${escapeHtml(view.username)}</strong>. Enter the 6-digit code your authenticator app shows for Lantern, to continue to <strong>${escapeHtml(view.appName)}</strong>.</p>
${errorBlock(view.error)}
<form method="post" action="${escapeHtml(action)}" novalidate>
${hidden('flow', view.flow)}
<label for="otc">Code</label>
<input type="text" id="otc" name="otc" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autofocus${invalid(view.error)}>
<div class="actions">
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button type="submit" name="action" value="verify" class="primary">Verify</button>
</div>
</form>`, nonce);
    case 'device-code':
      return page('Enter code', `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device to allow it to sign in.</p>
${errorBlock(view.error)}
<form method="post" action="${escapeHtml(action)}" novalidate>
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="16" required autofocus${invalid(view.error)}>
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`, nonce);
    case 'device-done':
      return page(view.approved ? 'Signed in' : 'Sign-in cancelled', view.approved
        ? `<h1>You're signed in</h1>\n<p>You have signed in to <strong>${escapeHtml(view.appName)}</strong> on your device. You may now close this window.</p>`
        : `<h1>Sign-in cancelled</h1>\n<p>The sign-in to <strong>${escapeHtml(view.appName)}</strong> was cancelled; the device will not be signed in. You may now close this window.</p>`, nonce);
    case 'error':
      return page('Sign-in error', `<h1>Sorry, but we're having trouble signing you in.</h1>\n${errorBlock(view.error)}`, nonce, view.error.status);
  }
}

/** The `form_post` answer: a form that posts the parameters to the app, submitted by script (or by the button without it). */
export function renderFormPost(redirectUri: string, params: Readonly<Record<string, string>>, nonce: string): RenderedPage {
  const fields = Object.entries(params).map(([name, value]) => hidden(name, value)).join('\n');
  return page('Signing in', `<h1>Signing in…</h1>
<form method="post" action="${escapeHtml(redirectUri)}" id="answer">
${fields}
<noscript><p>Script is off: press Continue to go back to the application.</p></noscript>
<div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>
<script nonce="${nonce}">document.getElementById('answer').submit();</script>`, nonce);
}
