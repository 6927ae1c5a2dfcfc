/**
 * Loads the private key a SMART Backend Services client signs its assertions with: PEM (PKCS#8)
 * or JWK, inline or from a file. Failures name the source and what is wrong with the key, never
 * the key material (jose's and OpenSSL's messages are not quoted for that reason).
 */
import { readFile } from 'node:fs/promises';
import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { SmartBackendAuth } from '../../../shared/config/sources/fhir.ts';
import { SourceError } from '../../source-error.ts';

export interface KeyContext {
  sourceId: string;
  sourceName: string;
}

function keyError(ctx: KeyContext, problem: string): SourceError {
  return new SourceError('unauthorized', ctx.sourceId, `${ctx.sourceName}: SMART private key ${problem}`);
}

async function keyText(auth: SmartBackendAuth, ctx: KeyContext): Promise<string | JWK> {
  if (auth.privateKey !== undefined) return auth.privateKey as string | JWK;
  try {
    return await readFile(auth.privateKeyFile ?? '', 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw keyError(ctx, `file could not be read (${typeof code === 'string' ? code : 'error'}): ${auth.privateKeyFile ?? ''}`);
  }
}

export async function loadSmartPrivateKey(auth: SmartBackendAuth, ctx: KeyContext): Promise<CryptoKey> {
  const material = await keyText(auth, ctx);
  let jwk: JWK | undefined;
  if (typeof material === 'string' && material.trimStart().startsWith('{')) {
    try {
      jwk = JSON.parse(material) as JWK;
    } catch {
      throw keyError(ctx, 'looks like a JWK but is not valid JSON');
    }
  } else if (typeof material !== 'string') {
    jwk = material;
  }
  try {
    if (jwk) {
      const key = await importJWK(jwk, auth.algorithm);
      if (key instanceof Uint8Array || key.type !== 'private') throw new TypeError('not private');
      return key;
    }
    return await importPKCS8(material as string, auth.algorithm);
  } catch {
    throw keyError(
      ctx,
      `is not a private ${auth.algorithm === 'RS384' ? 'RSA' : 'P-384 EC'} key usable with ${auth.algorithm} (PKCS#8 PEM or JWK expected)`,
    );
  }
}
