// Quiet TensorFlow's C++ start-up logging in tests; it says nothing a test needs.
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
require('reflect-metadata');
// Evaluation's baseline cache: one folder per test run, never the developer's ~/.cache.
process.env.CONTRASTIVE_EVAL_CACHE_DIR =
  process.env.CONTRASTIVE_EVAL_CACHE_DIR || require('path').join(require('os').tmpdir(), `contrastive-test-eval-cache-${process.ppid}`);
