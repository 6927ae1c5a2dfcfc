/** A Fetch-API request handler (static files, the DICOMweb proxy): mounted by both hosts alike. */
export type FetchHandler = (request: Request) => Promise<Response>;
