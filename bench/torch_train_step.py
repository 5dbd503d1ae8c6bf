#!/usr/bin/env python3
"""PyTorch (Debian python3-torch, CPU) doing the step TrainStepBench measures.

One step = forward of the 784-300-100-10 powerprop MLP (w = v * |v|^(alpha-1) for every layer),
softmax cross-entropy, backward, SGD update with lr 0.1. Prints samples/s per (alpha, batch,
threads), best of several timed runs.

    /usr/bin/python3 bench/torch_train_step.py [--threads 1,2] [--seconds 3]
"""
import argparse
import time

import torch


class PowerpropLinear(torch.nn.Module):
    def __init__(self, n_in, n_out, alpha):
        super().__init__()
        self.alpha = alpha
        self.v = torch.nn.Parameter(torch.randn(n_out, n_in) * (1.0 / n_in) ** 0.5)
        self.bias = torch.nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        w = self.v if self.alpha == 1 else self.v * torch.abs(self.v) ** (self.alpha - 1)
        return torch.nn.functional.linear(x, w, self.bias)


def model(alpha):
    return torch.nn.Sequential(PowerpropLinear(784, 300, alpha), torch.nn.ReLU(),
                               PowerpropLinear(300, 100, alpha), torch.nn.ReLU(),
                               PowerpropLinear(100, 10, alpha))


def samples_per_second(alpha, batch, seconds, repeats):
    torch.manual_seed(0)
    net = model(alpha)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(200):
        step()
    best = 0.0
    for _ in range(repeats):
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            n += 1
        best = max(best, n * batch / (time.perf_counter() - start))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(f"torch {torch.__version__}")
    print("threads,alpha,batch,samples_per_s")
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        for alpha in (1, 2):
            for batch in (60, 256):
                sps = samples_per_second(alpha, batch, args.seconds, args.repeats)
                print(f"{threads},{alpha},{batch},{sps:.0f}", flush=True)


if __name__ == "__main__":
    main()
