// Quiet TensorFlow's C++ start-up logging in tests; it says nothing a test needs.
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
require('reflect-metadata');
