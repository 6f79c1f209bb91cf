import type { ComponentDefinition } from '../registry/component-definition';
import { fashionMnistData } from './fashion-mnist';
import { imageFolderData } from './image-folder';
import { mnistData } from './mnist';
import { syntheticData } from './synthetic';
import { imageRowsData, sequenceFilesData, syntheticSequenceData, tsFilesData } from './sequence';

/**
 * The data sources the framework registers: images (fashion-mnist, mnist, synthetic,
 * image-folder) and sequences (synthetic-sequence, image-rows, sequence-files, ts-files).
 */
export const builtinDataSources: ComponentDefinition[] = [
  fashionMnistData, mnistData, syntheticData, imageFolderData,
  syntheticSequenceData, imageRowsData, sequenceFilesData, tsFilesData,
] as ComponentDefinition[];
