import aslValidator from 'asl-validator';

/**
 * What AWS runs and this stand-in would run differently, or not at all: refused when the state
 * machine is defined, with the feature named, rather than silently ignored.
 */
const unsupported: [test: (state: Record<string, unknown>) => boolean, feature: string][] = [
  [(state) => state.QueryLanguage === 'JSONata', 'QueryLanguage JSONata'],
  [(state) => 'Assign' in state, 'variables (Assign)'],
  [(state) => 'Arguments' in state || ('Output' in state && state.Type !== undefined), 'JSONata Arguments/Output'],
  [(state) => state.Type === 'Map' && 'Items' in state, "a JSONata Map's Items"],
  [
    (state) => 'ItemReader' in state || 'ResultWriter' in state || 'ItemBatcher' in state,
    'a distributed Map (ItemReader, ResultWriter, ItemBatcher)',
  ],
  [(state) => JSON.stringify(state.ItemProcessor ?? {}).includes('"DISTRIBUTED"'), 'a distributed Map'],
  [(state) => 'Credentials' in state, 'cross-account Credentials'],
  [(state) => 'HeartbeatSecondsPath' in state, 'HeartbeatSecondsPath'],
];

export const refuseWhatDiffers = (machine: string, definition: Record<string, unknown>) => {
  if (definition.QueryLanguage === 'JSONata') {
    throw new Error(
      `${machine}: QueryLanguage JSONata is not supported by the local Step Functions; write the state machine in JSONPath to run it locally`,
    );
  }
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const [name, state] of Object.entries(states)) {
      const found = unsupported.find(([test]) => test(state));
      if (found)
        throw new Error(
          `${machine}/${name}: ${found[1]} is not supported by the local Step Functions; AWS would run it, this stand-in refuses rather than run it differently`,
        );
      for (const branch of (state.Branches as { States: typeof states }[] | undefined) ?? []) walk(branch.States);
      const processor = (state.ItemProcessor ?? state.Iterator) as { States: typeof states } | undefined;
      if (processor) walk(processor.States);
    }
  };
  walk(definition.States as Record<string, Record<string, unknown>>);
};

/** ValidateStateMachineDefinition's diagnostics: the ASL schema (asl-validator), and what runs only on AWS. */
export const problemsOf = (definition: string, type: string): { severity: 'ERROR'; code: string; message: string }[] => {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(definition) as Record<string, unknown>;
  } catch (error) {
    return [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }];
  }
  if (type === 'EXPRESS') {
    return [
      { severity: 'ERROR', code: 'UNSUPPORTED_LOCALLY', message: 'EXPRESS state machines are not supported by the local Step Functions' },
    ];
  }
  const { isValid, errorsText } = aslValidator(parsed);
  if (!isValid) return [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: errorsText() }];
  try {
    refuseWhatDiffers('definition', parsed);
  } catch (error) {
    return [{ severity: 'ERROR', code: 'UNSUPPORTED_LOCALLY', message: (error as Error).message }];
  }
  return [];
};
