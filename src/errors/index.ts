export { ERROR_CODES, type ErrorCode } from './codes';
export { UnifiedWsError, isUnifiedWsError, type UnifiedWsErrorOptions } from './unified-ws-error';
export { ManagerError, isManagerError } from './manager-error';
export { AgentRunError, isAgentRunError } from './agent-run-error';
export { RegistrationError, isRegistrationError } from './registration-error';
export { ToolCallError, isToolCallError } from './tool-call-error';
export { ClientError, isClientError } from './client-error';
export { ManifestError, isManifestError } from './manifest-error';
export {
  DeprecatedUseError,
  isDeprecatedUseError,
  type DeprecatedUseDetails,
} from './deprecated-use-error';
export { RouteError, isRouteError } from './route-error';
export { OptionError, isOptionError } from './option-error';
export { GitError, isGitError } from './git-error';
export { JournalError, isJournalError } from './journal-error';
export { RunnerError, isRunnerError } from './runner-error';
