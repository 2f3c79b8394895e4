/** The local Step Functions service: runner, AWS-protocol API, persistence, time scale. */
export { createLocalStepFunctions, SfnError } from './runner';
export type { ExecutionDescription, ExecutionListItem, LocalStepFunctions, LocalStepFunctionsOptions, SfnErrorCode, StepHandler } from './runner';
export { createSfnApi, startSfnApi } from './sfn-api';
export type { SfnApiOptions, SfnApiServer } from './sfn-api';
export { dynamoExecutionStore, memoryExecutionStore, HISTORY_LIMIT, LOCAL_EXECUTIONS_PARTITION, localExecutionKey } from './store';
export type { ExecutionRecord, ExecutionStatus, ExecutionStore, ExecutionSummary, LocalHistoryEvent } from './store';
export { DEFAULT_SFN_PORT, LOCAL_STATE_MACHINE_ARN, startLocalWorkflowService } from './service';
export type { LocalWorkflowService, LocalWorkflowServiceOptions } from './service';
export { parseTimeScale, scaleMs, TIME_SCALE_ENV } from './time-scale';
