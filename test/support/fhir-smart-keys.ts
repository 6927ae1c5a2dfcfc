/** Fresh SMART Backend Services client keys for tests: the private half for the client config, the public JWKS for the server. */
import { exportJWK, exportPKCS8, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

export interface SmartTestKey {
  kid: string;
  algorithm: 'RS384' | 'ES384';
  privatePem: string;
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

export async function smartTestKey(algorithm: 'RS384' | 'ES384', kid: string): Promise<SmartTestKey> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
    ...(algorithm === 'RS384' ? { modulusLength: 2048 } : {}),
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: 'sig' };
  return {
    kid,
    algorithm,
    privatePem: await exportPKCS8(privateKey),
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: algorithm },
    jwks: { keys: [publicJwk] },
  };
}
