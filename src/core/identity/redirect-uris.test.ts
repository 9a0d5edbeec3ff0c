import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchRedirectUri, redirectUriProblem } from './redirect-uris.js';
import { pkceMatches, s256Challenge } from './pkce.js';

describe('redirect URIs', () => {
  const app = { web: { redirectUris: ['https://app.example/signin'] }, spa: { redirectUris: ['https://spa.example/'] }, publicClient: { redirectUris: ['http://localhost', 'msalabc://auth'] } };

  it('match exactly, and a loopback URI on any port', () => {
    assert.equal(matchRedirectUri(app, 'https://app.example/signin'), 'web');
    assert.equal(matchRedirectUri(app, 'https://spa.example/'), 'spa');
    assert.equal(matchRedirectUri(app, 'http://localhost:53121'), 'publicClient');
    assert.equal(matchRedirectUri(app, 'msalabc://auth'), 'publicClient');
  });

  it('refuse every other spelling', () => {
    for (const uri of ['https://app.example/signin/', 'https://APP.example/signin', 'https://app.example/signin?x=1', 'http://app.example/signin', 'https://spa.example', 'http://localhost:53121/other', 'http://127.0.0.1:53121', 'https://localhost:53121']) {
      assert.equal(matchRedirectUri(app, uri), undefined, uri);
    }
  });

  it('registration rules name what is wrong', () => {
    assert.equal(redirectUriProblem('https://app.example/cb', 'web'), undefined);
    assert.equal(redirectUriProblem('http://localhost:3000/cb', 'spa'), undefined);
    assert.match(redirectUriProblem('http://app.example/cb', 'web') ?? '', /https/);
    assert.match(redirectUriProblem('https://app.example/cb#x', 'web') ?? '', /fragment/);
    assert.match(redirectUriProblem('https://*.app.example/cb', 'web') ?? '', /wildcard/);
    assert.match(redirectUriProblem('myapp://cb', 'spa') ?? '', /publicClient/);
    assert.equal(redirectUriProblem('myapp://cb', 'publicClient'), undefined);
    assert.match(redirectUriProblem('javascript:alert(1)', 'publicClient') ?? '', /javascript/);
    assert.match(redirectUriProblem('/relative', 'web') ?? '', /absolute/);
  });
});

describe('PKCE', () => {
  it('S256 matches the RFC 7636 example and refuses another verifier', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    assert.equal(s256Challenge(verifier), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    assert.equal(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', verifier), true);
    assert.equal(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', `${verifier.slice(0, -1)}Y`), false);
    assert.equal(pkceMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256', 'short'), false);
  });
});
