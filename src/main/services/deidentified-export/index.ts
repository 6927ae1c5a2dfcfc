export { createDeidentifiedExporter } from './deidentified-exporter.ts';
