/** De-identified exports of a timeline or an imaging study into a folder of their own. */
export { createDeidentifiedExporter } from './deidentified-exporter.ts';
