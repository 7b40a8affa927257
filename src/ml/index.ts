/** ddf.ml: cross-validation folds, learning methods, crossValidate and superLearner on top of dusk/random. */
export { kFold, type KFoldOptions } from './folds.js';
export { stratifiedKFold } from './stratified-folds.js';
export { method, type Method, type MethodFactory, type MethodSpec } from './method.js';
export { mean, ols, ridge, randomForest } from './builtin-methods.js';
export { fitLinear, predictLinear, olsMethod, ridgeMethod, type LinearModel } from './linear.js';
export { meanMethod } from './mean-method.js';
export { randomForestMethod, treeSeeds, trainForestTrees, mergeForests, type RandomForestOptions, type RandomForestModel } from './random-forest.js';
export { regressionMetrics, type RegressionMetrics } from './metrics.js';
export { resolveMethod } from './cv-task.js';
export { crossValidate, type CrossValidateData, type CrossValidateOptions, type CrossValidateResult, type FoldMetrics, type MethodResult } from './cross-validate.js';
export { nnls, nnlsGram } from './nnls.js';
export { superLearner, superLearnerWeights, type SuperLearnerOptions, type SuperLearnerResult } from './super-learner.js';
export { fit, predict, type FittedModel, type SuperLearnerModel } from './fit.js';
