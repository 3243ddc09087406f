/** API.md's local endpoints; each port can be moved by its variable. */
export const localPorts = {
  api: Number(process.env.SALESFLOW_API_PORT ?? 3000),
  dynamodb: Number(process.env.SALESFLOW_DYNAMODB_PORT ?? 8000),
  ses: Number(process.env.SALESFLOW_SES_PORT ?? 8005),
  stepFunctions: Number(process.env.SALESFLOW_SFN_PORT ?? 8083),
};

export const localHost = '127.0.0.1';
