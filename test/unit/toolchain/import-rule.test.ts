import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PACKAGE_RUNTIMES } from '../../../eslint-rules/package-layers.js';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints source text as if it lived at `file`, returning the layer rule's message ids. */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'huizhen/layer-boundaries').map((m) => m.messageId ?? m.message);
}

const probe = (specifier: string): string => `import { a } from '${specifier}';\nexport { a };\n`;

describe('service modules are entered only through their door', () => {
  it('refuses an import past index.ts, from another service or from a host', async () => {
    expect(await problems('src/main/services/access/x.ts', probe('../api/dispatch.ts'))).toEqual(['door']);
    expect(await problems('src/main/host/x.ts', probe('../services/security/content-security-policy.ts'))).toEqual(['door']);
    expect(await problems('src/cli/x.ts', probe('../main/services/audit/audit-log.ts'))).toEqual(['door']);
  });

  it('accepts the door, and any file from inside the module itself', async () => {
    expect(await problems('src/main/services/access/x.ts', probe('../api/index.ts'))).toEqual([]);
    expect(await problems('src/main/host/x.ts', probe('../services/security/index.ts'))).toEqual([]);
    expect(await problems('src/main/services/audit/x.ts', probe('./audit-log.ts'))).toEqual([]);
  });

  it('refuses the composition root too', async () => {
    expect(await problems('src/main/composition/x.ts', probe('../services/identity/link-decisions.ts'))).toEqual(['door']);
    expect(await problems('src/main/composition/x.ts', probe('../services/identity/index.ts'))).toEqual([]);
  });

  it('lets no module reach past the door of another module (the exception list is empty)', async () => {
    expect(await problems('src/main/services/cache/x.ts', probe('../security/key-protector.ts'))).toEqual(['door']);
    expect(await problems('src/main/services/cache-setup/x.ts', probe('../security/key-protector.ts'))).toEqual(['door']);
  });
});

describe('service modules import each other only along the module graph', () => {
  it('refuses an edge the graph does not declare, even through the door', async () => {
    expect(await problems('src/main/services/timeline/x.ts', probe('../cache/index.ts'))).toEqual(['graph']);
    expect(await problems('src/main/services/cache/x.ts', probe('../audit/index.ts'))).toEqual(['graph']);
  });

  it('refuses imports from a module the graph does not know', async () => {
    expect(await problems('src/main/services/new-module/x.ts', probe('../cache/index.ts'))).toEqual(['graph']);
  });

  it('accepts a declared edge', async () => {
    expect(await problems('src/main/services/audit/x.ts', probe('../keys/index.ts'))).toEqual([]);
  });
});

describe('npm packages are imported only where their runtime is', () => {
  it('refuses a package package-layers.js does not declare', async () => {
    expect(await problems('src/adapters/x.ts', probe('left-pad'))).toEqual(['undeclared']);
    expect(await problems('src/renderer/x.ts', probe('@acme/widgets/button'))).toEqual(['undeclared']);
  });

  it('refuses Node packages in the renderer and in shared', async () => {
    expect(await problems('src/renderer/x.ts', probe('ws'))).toEqual(['runtime']);
    expect(await problems('src/shared/x.ts', probe('electron-store'))).toEqual(['runtime']);
    expect(await problems('src/renderer/x.ts', probe('openid-client'))).toEqual(['runtime']);
  });

  it('refuses browser packages in Node layers and in shared', async () => {
    expect(await problems('src/main/services/privacy/x.ts', probe('react'))).toEqual(['runtime']);
    expect(await problems('src/adapters/x.ts', probe('@cornerstonejs/core'))).toEqual(['runtime']);
    expect(await problems('src/shared/x.ts', probe('dompurify'))).toEqual(['runtime']);
  });

  it('accepts packages where they can run, subpaths and query suffixes included', async () => {
    expect(await problems('src/renderer/x.ts', probe('react-dom/client'))).toEqual([]);
    expect(await problems('src/renderer/x.ts', "import 'uplot/dist/uPlot.min.css';\n")).toEqual([]);
    expect(await problems('src/shared/x.ts', probe('zod'))).toEqual([]);
    expect(await problems('src/main/host/x.ts', probe('ws'))).toEqual([]);
    expect(await problems('src/adapters/x.ts', probe('@medplum/fhirtypes'))).toEqual([]);
  });

  it('has a runtime for every dependency in package.json, and for nothing else', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = Object.keys({ ...pkg['dependencies'], ...pkg['devDependencies'] }).sort();
    expect(Object.keys(PACKAGE_RUNTIMES).sort()).toEqual(declared);
  });
});
