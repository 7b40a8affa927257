/** ddf.ml: model-fitting helpers on top of dusk/random (cross-validation folds). */
export { kFold, type KFoldOptions } from './folds.js';
