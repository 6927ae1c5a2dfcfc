export { SourceStatusBar, SourceStatusItem } from './SourceStatusBar.tsx';
export { SourcesProvider, useSourceRegistry, useSources } from './sources-context.tsx';
export { OutageBanner, GlobalOutageBanner } from './OutageBanner.tsx';
export { StaleSourcesProvider, useStaleSince, useStaleSources } from './stale-sources-context.tsx';
