using Disentangle.Tensors;

Console.WriteLine(Gemm.Describe());
