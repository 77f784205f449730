/** Where Bangong's metrics are: the CDK alarms and dashboard read them by these names (infra/constructs/monitoring.ts). */
export const SERVICE_NAME = 'bangong';
export const METRICS_NAMESPACE = 'Bangong';
