using System;
using System.Buffers.Binary;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// libtorch's CPU generator state as <c>get_rng_state</c> gives it, checked before <c>set_rng_state</c> sees it.
/// </summary>
/// <remarks>
/// <para>
/// The bytes are libtorch's <c>CPUGeneratorImplState</c> (aten/src/ATen/CPUGeneratorImpl.cpp), 5,056 bytes on x64:
/// uint64 initial seed @0, int32 <c>left</c> @8, int32 <c>seeded</c> @12, uint64 <c>next</c> @16, 624 × uint64
/// mt19937 words @24, double <c>normal_x</c>, <c>normal_y</c>, <c>normal_rho</c> @5016, int32 <c>normal_is_valid</c>
/// @5040, float <c>next_float_normal_sample</c> @5048, bool <c>is_next_float_normal_sample_valid</c> @5052.
/// </para>
/// <para>
/// <c>set_state</c> refuses a state unless it has that size, <c>seeded</c> is non-zero, <c>left</c> is in 1…624 and
/// <c>next</c> (cut to 32 bits) is at most 624 (<c>mt19937::is_valid</c>). It refuses by throwing a C++ exception,
/// and TorchSharp's <c>THSGenerator_set_rng_state</c> does not catch it, so the exception leaves native code and the
/// runtime aborts the process (SIGABRT, exit code 134). A state must therefore never reach it unchecked. This
/// check is libtorch's, made stricter where libtorch's own states are: <c>left + next = 625</c> (or the fresh 1, 0),
/// since the engine reads word <c>next</c> without a bound; words that fit 32 bits, which libtorch would cut; flags
/// that are 0 or 1; finite cached normal samples.
/// </para>
/// <para>
/// The offsets are confirmed on the running libtorch before the first check: a seeded scratch generator must give a
/// state that reads back as that seed's. Otherwise no state is restored (<see cref="NotSupportedException"/>).
/// </para>
/// </remarks>
internal static class RngState
{
    public const int Size = 5056;
    private const int StateWords = 624;
    private const int SeedOffset = 0;
    private const int LeftOffset = 8;
    private const int SeededOffset = 12;
    private const int NextOffset = 16;
    private const int WordsOffset = 24;
    private const int NormalYOffset = 5024;
    private const int NormalValidOffset = 5040;
    private const int FloatSampleOffset = 5048;
    private const int FloatValidOffset = 5052;

    private static readonly Lazy<string?> LayoutProblem = new(ProbeLayout);

    /// <summary>
    /// Throws unless <paramref name="state"/> is a CPU generator state that libtorch accepts and would have written.
    /// </summary>
    /// <exception cref="InvalidDataException">It is not; the message names <paramref name="fileName"/> and the field.</exception>
    /// <exception cref="NotSupportedException">This libtorch lays its state out in a way this check does not know.</exception>
    public static void Check(ReadOnlySpan<byte> state, string fileName)
    {
        if (LayoutProblem.Value is string problem)
            throw new NotSupportedException($"{fileName}: its RNG state cannot be checked against this libtorch ({problem}); load it with restoreRngState: false.");
        if (state.Length != Size)
            throw Invalid(fileName, $"has {state.Length:N0} bytes but this libtorch's has {Size:N0}");

        var left = BinaryPrimitives.ReadInt32LittleEndian(state[LeftOffset..]);
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(state[SeededOffset..]);
        var next = BinaryPrimitives.ReadUInt64LittleEndian(state[NextOffset..]);
        if (seeded != 1)
            throw Invalid(fileName, $"says the generator was never seeded (seeded = {seeded})");
        if (left is < 1 or > StateWords)
            throw Invalid(fileName, $"has left = {left}, outside 1…{StateWords}");
        if (next > StateWords)
            throw Invalid(fileName, $"has next = {next}, past the {StateWords} words of the state");
        if (left + (long)next != StateWords + 1 && !(left == 1 && next == 0))
            throw Invalid(fileName, $"has left = {left} and next = {next}; a generator's always sum to {StateWords + 1} once it has drawn");
        for (var i = 0; i < StateWords; i++)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(state[(WordsOffset + 8 * i)..]) > uint.MaxValue)
                throw Invalid(fileName, $"has word {i} of the mt19937 state over 32 bits");
        }
        var normalValid = BinaryPrimitives.ReadInt32LittleEndian(state[NormalValidOffset..]);
        var floatValid = state[FloatValidOffset];
        if (normalValid is not (0 or 1) || floatValid is not (0 or 1))
            throw Invalid(fileName, $"has a cached-normal flag that is neither 0 nor 1");
        if (normalValid == 1 && !double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(state[NormalYOffset..])))
            throw Invalid(fileName, $"caches a normal sample that is not finite");
        if (floatValid == 1 && !float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(state[FloatSampleOffset..])))
            throw Invalid(fileName, $"caches a normal sample that is not finite");
    }

    /// <summary>Sets libtorch's default CPU generator to <paramref name="state"/>, which <see cref="Check"/> has passed.</summary>
    public static void Restore(byte[] state)
    {
        using var tensor = empty([state.Length], ScalarType.Byte);
        tensor.bytes = state;
        random.set_rng_state(tensor);
    }

    // Null when a generator seeded here reads back, at the offsets above, as mt19937 seeded with that seed; else why not.
    private static string? ProbeLayout()
    {
        const ulong seed = 0x1234_5678_9ABC_DEF0;
        using var generator = new Generator(seed);
        using var tensor = generator.get_state();
        var state = tensor.bytes;
        if (state.Length != Size)
            return $"its state has {state.Length:N0} bytes, not {Size:N0}";
        var word0 = unchecked((uint)seed);
        var word1 = unchecked(1812433253u * (word0 ^ (word0 >> 30)) + 1u);
        var fresh =
            BinaryPrimitives.ReadUInt64LittleEndian(state[SeedOffset..]) == seed
            && BinaryPrimitives.ReadInt32LittleEndian(state[LeftOffset..]) == 1
            && BinaryPrimitives.ReadInt32LittleEndian(state[SeededOffset..]) == 1
            && BinaryPrimitives.ReadUInt64LittleEndian(state[NextOffset..]) == 0
            && BinaryPrimitives.ReadUInt64LittleEndian(state[WordsOffset..]) == word0
            && BinaryPrimitives.ReadUInt64LittleEndian(state[(WordsOffset + 8)..]) == word1
            && BinaryPrimitives.ReadInt32LittleEndian(state[NormalValidOffset..]) == 0
            && state[FloatValidOffset] == 0;
        return fresh ? null : "a freshly seeded generator's state does not read back at the expected offsets";
    }

    private static InvalidDataException Invalid(string fileName, FormattableString message) =>
        new($"{fileName}: the saved RNG state {FormattableString.Invariant(message)}");
}
