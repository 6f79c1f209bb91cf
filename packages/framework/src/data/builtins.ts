import type { ComponentDefinition } from '../registry/component-definition';
import { fashionMnistData } from './fashion-mnist';
import { imageFolderData } from './image-folder';
import { mnistData } from './mnist';
import { syntheticData } from './synthetic';

/** The data sources the framework registers: fashion-mnist, mnist, synthetic, image-folder. */
export const builtinDataSources: ComponentDefinition[] = [fashionMnistData, mnistData, syntheticData, imageFolderData];
