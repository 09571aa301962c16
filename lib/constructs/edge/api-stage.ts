/**
 * The REST API's deployment stage name. Callers never see it (the custom domain maps the API at its
 * root), but API Gateway puts it in front of the path it sends over a private integration, so the
 * load balancer's routing needs it too (see `BackendRouting`).
 */
export const API_STAGE_NAME = 'live';
