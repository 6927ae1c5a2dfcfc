import './api/zod-csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, getTransportKind } from './api/get-api.ts';
import { App } from './app/App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App api={getApi()} transport={getTransportKind()} />
  </StrictMode>,
);
