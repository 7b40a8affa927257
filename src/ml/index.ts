/** ddf.ml: cross-validation folds, learning methods, crossValidate and superLearner on top of dusk/random. */
export { kFold, type KFoldOptions } from './folds.js';
export { stratifiedKFold } from './stratified-folds.js';
export { method, type AnyMethod, type ClassifierMethod, type ClassifierSpec, type Method, type MethodFactory, type MethodKind, type MethodSpec } from './method.js';
export { mean, ols, ridge, randomForest, randomForestClassifier, logisticRegression } from './builtin-methods.js';
export { fitLogistic, predictLogisticProba, logisticRegressionMethod, type LogisticModel, type LogisticRegressionOptions } from './logistic.js';
export { fitLinear, predictLinear, olsMethod, ridgeMethod, type LinearModel } from './linear.js';
export { meanMethod } from './mean-method.js';
export { randomForestMethod, randomForestClassifierMethod, treeSeeds, trainForestTrees, mergeForests, type RandomForestOptions, type RandomForestModel } from './random-forest.js';
export { growTree, presortFeatures, argsort, applyTree, type CartTree, type TreeSettings } from './cart.js';
export { featureColumns, type FeaturesInput, type FeaturesSource } from './features.js';
export { regressionMetrics, classificationMetrics, type RegressionMetrics, type ClassificationMetrics } from './metrics.js';
export { resolveMethod } from './cv-task.js';
export {
  crossValidate, type CrossValidateData, type CrossValidateOptions, type CrossValidateResult, type FoldMetrics, type MethodResult,
  type ClassificationCrossValidateResult, type ClassifierResult, type ClassifierFoldMetrics,
} from './cross-validate.js';
export { nnls, nnlsGram } from './nnls.js';
export { superLearner, superLearnerWeights, type SuperLearnerOptions, type SuperLearnerResult, type ClassificationSuperLearnerResult } from './super-learner.js';
export { fit, predict, predictProba, type FittedModel, type SuperLearnerModel } from './fit.js';
