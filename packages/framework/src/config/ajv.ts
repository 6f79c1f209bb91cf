import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { ComponentDefinition, JsonSchema } from '../registry/component-definition';

/** The ajv settings configs are validated with: every error, defaults filled, `discriminator` on. */
export function createAjv(): Ajv {
  return new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: false, verbose: true });
}

/**
 * Compiles a schema; if that fails because a component's options schema is broken, the
 * error names the component and the package that registered it.
 */
export function compileSchema(schema: JsonSchema, suspects: readonly ComponentDefinition[] = []): ValidateFunction {
  try {
    return createAjv().compile(schema);
  } catch (err) {
    for (const def of suspects) {
      try {
        createAjv().compile(def.schema);
      } catch (inner) {
        throw new Error(
          `${def.kind} "${def.name}" (registered by ${def.source ?? 'unknown'}) has an invalid options schema: ${(inner as Error).message}`,
        );
      }
    }
    throw err;
  }
}
