export { ApiError, STATUS_OF_ERROR, toApiError, type CategorizedError, type ErrorType } from "./errors";
export {
  apiErrorHandler,
  apiNotFoundHandler,
  success,
  successBody,
  type Annotations,
  type ErrorEnvelope,
  type SuccessEnvelope,
} from "./envelope";
export { isLoopbackClient, presentedToken, requireAuth, type AuthBindings, type Scope } from "./auth";
export { buildInfo, type BuildInfo, type BuildInfoBindings } from "./buildinfo";
export { unescapeUtf8LabelName } from "./utf8-label-name";
export { readBody, type ReadBodyOptions } from "./body";
