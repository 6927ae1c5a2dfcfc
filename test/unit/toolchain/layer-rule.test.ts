import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints source text as if it lived at `file`, returning the layer-rule messages. */
async function layerViolations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'huizhen/layer-boundaries').map((m) => m.message);
}

describe('the layer rule of ARCHITECTURE.md is enforced by lint', () => {
  it('the renderer may import only src/shared', async () => {
    expect(
      await layerViolations('src/renderer/x.ts', "import { a } from '../main/services/api/dispatch.ts';\nexport { a };\n"),
    ).toHaveLength(1);
    expect(
      await layerViolations('src/renderer/x.ts', "import { a } from '../adapters/fhir/fhir-adapter.ts';\nexport { a };\n"),
    ).toHaveLength(1);
    expect(await layerViolations('src/renderer/x.ts', "import { readFile } from 'node:fs';\nexport { readFile };\n")).toHaveLength(1);
    expect(
      await layerViolations('src/renderer/x.ts', "import { apiContract } from '../shared/api/contract.ts';\nexport { apiContract };\n"),
    ).toEqual([]);
  });

  it('services and adapters never import electron, the renderer or a host', async () => {
    expect(await layerViolations('src/main/services/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
    expect(await layerViolations('src/adapters/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
    expect(await layerViolations('src/main/services/x.ts', "import { b } from '../host/browser-host.ts';\nexport { b };\n")).toHaveLength(
      1,
    );
    expect(
      await layerViolations('src/adapters/x.ts', "import { w } from '../main/services/patient-record/index.ts';\nexport { w };\n"),
    ).toHaveLength(1);
  });

  it('only the Electron shell and the preload import electron', async () => {
    expect(await layerViolations('src/main/electron/x.ts', "import { app } from 'electron';\nexport { app };\n")).toEqual([]);
    expect(await layerViolations('src/main/host/x.ts', "import { app } from 'electron';\nexport { app };\n")).toHaveLength(1);
  });

  it('shared imports nothing of ours', async () => {
    expect(await layerViolations('src/shared/x.ts', "import { e } from '../adapters/source-error.ts';\nexport { e };\n")).toHaveLength(1);
  });

  it('only the composition root wires the services, and only the hosts and the CLI take it', async () => {
    const use = (path: string) => `import { c } from '${path}';\nexport { c };\n`;
    expect(await layerViolations('src/main/composition/x.ts', use('../services/api/index.ts'))).toEqual([]);
    expect(await layerViolations('src/main/composition/x.ts', use('../../adapters/fhir/fhir-adapter.ts'))).toEqual([]);
    expect(await layerViolations('src/main/host/x.ts', use('../composition/index.ts'))).toEqual([]);
    expect(await layerViolations('src/main/electron/x.ts', use('../composition/index.ts'))).toEqual([]);
    expect(await layerViolations('src/cli/x.ts', use('../main/composition/index.ts'))).toEqual([]);
    expect(await layerViolations('src/main/services/x.ts', use('../composition/index.ts'))).toHaveLength(1);
    expect(await layerViolations('src/renderer/x.ts', use('../main/composition/index.ts'))).toHaveLength(1);
    expect(await layerViolations('src/main/composition/x.ts', use('../host/browser-host.ts'))).toHaveLength(1);
  });
});
