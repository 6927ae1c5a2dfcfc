/**
 * Test-only page: the ImagingPanel alone, fed by /harness/studies.json from the test's own
 * host. Built by test/support/imaging-harness.ts into test-results/; never part of
 * dist-renderer (vite.config.ts builds index.html only).
 */
import '../../../api/zod-csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { ImagingPanel } from '../ImagingPanel.tsx';

const HarnessSchema = z.object({
  studies: z.array(
    z.object({
      studyUid: z.string(),
      sourceId: z.string(),
      description: z.string(),
      started: z.string().optional(),
      modalities: z.array(z.string()),
      bodyParts: z.array(z.string()).optional(),
    }),
  ),
  initialStudyUid: z.string().optional(),
  locale: z.string(),
  maskOverlay: z.boolean(),
});

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
// The panel fills the height its container gives it (the app's tab does): the page's height here.
root.style.height = '100vh';
const params = HarnessSchema.parse(await (await fetch('/harness/studies.json')).json());
createRoot(root).render(
  <StrictMode>
    <ImagingPanel {...params} />
  </StrictMode>,
);
