import { defineComponent, UserInputError, type ComponentSpec } from '@contrastive/framework';
import { isMomentumEncoder, MomentumEncoder } from './momentum-encoder';
import { momentumScheduleSchema, type MomentumScheduleKind } from './momentum-schedule';

/** Options of `encoder: { use: momentum-encoder, ... }`. */
export interface MomentumEncoderComponentOptions {
  /** The encoder to train and to copy, e.g. `{ use: convnet }`. */
  base: ComponentSpec;
  momentum: number;
  momentumSchedule: MomentumScheduleKind;
}

/**
 * Registry entry of the momentum encoder (kind `encoder`): `base` built twice, the second
 * instance a momentum copy of the first. As an encoder it is the online `base`; a method
 * that knows about momentum encoders ({@link isMomentumEncoder}) also gets detached keys
 * from `encodeKeys` and calls `update` in its `afterStep`. See {@link MomentumEncoder}.
 *
 * @example
 * ```yaml
 * encoder: { use: momentum-encoder, base: { use: convnet, embeddingDim: 64 }, momentum: 0.99 }
 * ```
 */
export const momentumEncoderDefinition = defineComponent<'encoder', MomentumEncoderComponentOptions>({
  kind: 'encoder',
  name: 'momentum-encoder',
  description: 'An encoder plus a momentum copy of it that gets no gradient (MoCo, arXiv:1911.05722), for methods that use keys.',
  schema: {
    type: 'object',
    properties: {
      base: {
        type: 'object',
        properties: { use: { type: 'string', description: 'The encoder to train and copy, e.g. convnet.' } },
        required: ['use'],
        description: 'The encoder spec, built twice (online and momentum copy).',
      },
      ...momentumScheduleSchema(0.99),
    },
    required: ['base'],
    additionalProperties: false,
  },
  create: (options, ctx) => {
    const online = ctx.build('encoder', options.base);
    if (isMomentumEncoder(online)) {
      online.dispose();
      throw new UserInputError('encoder.base: a momentum encoder cannot wrap another momentum encoder');
    }
    const schedule = { momentum: options.momentum, schedule: options.momentumSchedule };
    return new MomentumEncoder(online, ctx.build('encoder', options.base), schedule);
  },
});
